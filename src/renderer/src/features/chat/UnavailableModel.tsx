import { useState } from 'react';
import type { ModelInfo } from '../../../../shared/contract';
import { Banner } from '../../components/Banner';
import { AUTO_MODEL_ID, LOCAL_MODEL_ID } from './ModelPicker';
import { unavailableReason } from './chat-model';

/**
 * Issue #14: the model chosen for this chat cannot answer now. Nothing is switched silently: the
 * user chooses another model (the picker) or keeps it (a message then fails with the reason, and
 * nothing is sent anywhere else).
 */
export function UnavailableModel({ model, models, modelsLoaded, ollamaDown, offline }: { model: string; models: readonly ModelInfo[]; modelsLoaded: boolean; ollamaDown: boolean; offline: boolean }) {
  const [kept, setKept] = useState<string | null>(null);
  const mode = model === AUTO_MODEL_ID || model === LOCAL_MODEL_ID;
  if (!modelsLoaded || mode || kept === model || models.some((m) => m.id === model)) return null;
  return (
    <Banner
      tone="warn"
      title={`${model} is not available`}
      action={
        <>
          <button type="button" onClick={() => document.querySelector<HTMLSelectElement>('select[aria-label="Model"]')?.focus()}>
            Choose another model
          </button>
          <button type="button" onClick={() => setKept(model)}>
            Keep {model}
          </button>
        </>
      }
    >
      This chat is set to {model}, but {unavailableReason(model, { ollamaDown, offline })}. Nothing is sent to another model without you: choose
      another one for this chat, or keep it and fix the cause (a message sent meanwhile fails and says why).
    </Banner>
  );
}
