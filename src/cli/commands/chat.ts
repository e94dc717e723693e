import { SwitchboardError } from '../../shared/errors';
import type { Message } from '../../shared/contract';
import type { Command } from '../command';
import { UsageError } from '../command';

/** `chat "<prompt>" --model provider/model`: streams the answer to stdout. */
export const chatCommand: Command = {
  name: 'chat',
  usage: 'chat "<prompt>" --model <provider/model> [--conversation <id>]',
  summary: 'Send one message and stream the answer to stdout (the turn is saved like any chat).',
  options: { model: { type: 'string', short: 'm' }, conversation: { type: 'string' } },
  async run({ positionals, values }, ctx) {
    const prompt = positionals.join(' ').trim();
    if (!prompt) throw new UsageError('chat needs a prompt');
    const model = (values.model as string | undefined) ?? ctx.app().services.settings.get().defaultModel;
    if (!model) throw new UsageError('chat needs --model <provider/model> (for example --model ollama/llama3.2:3b)');
    const app = ctx.app();
    const conversationId = (values.conversation as string | undefined) ?? (await app.call('conversations.create', {})).id;

    let assistantId: string | null = null;
    const buffered: string[] = [];
    let finish!: (message: Message) => void;
    const finished = new Promise<Message>((resolve) => (finish = resolve));
    const unsubscribe = app.events.subscribe((e) => {
      if (e.event === 'chat.delta') {
        if (assistantId === null) buffered.push(e.payload.text);
        else if (e.payload.messageId === assistantId) ctx.io.stdout.write(e.payload.text);
      } else if (e.event === 'chat.message' && e.payload.message.id === assistantId && e.payload.message.status !== 'streaming') {
        finish(e.payload.message);
      }
    });
    const onAbort = () => assistantId && app.services.chat.stop(assistantId);
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    try {
      const { assistantMessage } = await app.call('chat.send', { conversationId, content: prompt, model });
      assistantId = assistantMessage.id;
      // Deltas emitted before the id was known belong to this reply (the CLI sends one at a time).
      for (const text of buffered) ctx.io.stdout.write(text);
      const current = app.services.messages.get(assistantId);
      const message = current && current.status !== 'streaming' ? current : await finished;
      if (message.content && !message.content.endsWith('\n')) ctx.io.stdout.write('\n');
      if (message.status === 'error' && message.error) throw new SwitchboardError(message.error.code, message.error.message);
      if (message.status === 'cancelled') return 130;
      const seconds = message.finishedAt && message.startedAt ? ((message.finishedAt - message.startedAt) / 1000).toFixed(2) : '?';
      const cost = message.costUsd === null ? 'cost unknown' : `$${message.costUsd.toFixed(message.costUsd > 0 && message.costUsd < 0.01 ? 6 : 4)}`;
      const ttft = message.firstTokenAt && message.startedAt ? ` · first token ${((message.firstTokenAt - message.startedAt) / 1000).toFixed(2)}s` : '';
      ctx.io.stderr.write(`[${model} · ${seconds}s${ttft} · ${message.promptTokens ?? '?'} in / ${message.completionTokens ?? '?'} out tokens · ${cost}]\n`);
      return 0;
    } finally {
      unsubscribe();
      ctx.signal.removeEventListener('abort', onAbort);
    }
  },
};
