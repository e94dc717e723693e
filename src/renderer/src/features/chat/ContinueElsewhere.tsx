import { useState } from 'react';
import type { Message, ModelInfo } from '../../../../shared/contract';
import { useChat } from '../../stores/chat-store';
import { useSystem } from '../../stores/system-store';

/**
 * Under a reply that failed part-way: its text is kept, and another model can carry on from where
 * it stopped (or answer again from scratch).
 */
export function ContinueElsewhere({ message, models: offered }: { message: Message; /** A Local-only chat offers local models only. */ models?: readonly ModelInfo[] }) {
  const all = useSystem((s) => s.models);
  const models = offered ?? all;
  const continueOn = useChat((s) => s.continueOn);
  const choices = models.filter((m) => m.id !== message.modelId);
  const [model, setModel] = useState<string>('');
  if (message.status !== 'error' || !message.content || choices.length === 0) return null;
  const chosen = model || choices[0]!.id;
  return (
    <form
      className="continue-elsewhere"
      onSubmit={(e) => {
        e.preventDefault();
        void continueOn(message.id, chosen);
      }}
    >
      <span>The text above is kept.</span>
      <select aria-label="Model to continue on" value={chosen} onChange={(e) => setModel(e.target.value)}>
        {choices.map((m) => (
          <option key={m.id} value={m.id}>
            {m.id}
          </option>
        ))}
      </select>
      <button type="submit">Continue on this model</button>
    </form>
  );
}
