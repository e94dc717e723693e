import { SwitchboardError } from '../../shared/errors';
import type { Message } from '../../shared/contract';
import { AUTO_MODEL_ID, LOCAL_MODEL_ID, isRoutingMode } from '../../main/answer';
import { PROMPT_OPTIONS, readPrompt } from '../args';
import type { Command } from '../command';
import { UsageError } from '../command';

/**
 * `chat "<prompt>" [--model provider/model | --local]`: sends one message, the answer on stdout.
 * Without `--model` a new conversation starts from the user's default (Settings `defaultModel`; unset:
 * Auto) and an existing one keeps its own choice; `--local` keeps it on this machine. A routed answer
 * can restart when the router escalates, so when stdout is not a terminal it is written once the
 * reply is final (a script never sees a rejected draft); a terminal sees it stream.
 */
export const chatCommand: Command = {
  name: 'chat',
  usage: 'chat "<prompt>" | - | --file <path> [--model <provider/model> | --local] [--conversation <id>] [--offline]',
  summary: 'Send one message and print the answer (your default mode or model unless --model or --local; the turn is saved like any chat).',
  options: { model: { type: 'string', short: 'm' }, local: { type: 'boolean' }, conversation: { type: 'string' }, ...PROMPT_OPTIONS },
  maxPositionals: Infinity,
  async run({ positionals, values }, ctx) {
    if (values.model !== undefined && values.local) throw new UsageError('use either --model or --local, not both');
    const prompt = await readPrompt(positionals, values, ctx.io, 'chat');
    const named = (values.model as string | undefined) ?? (values.local ? LOCAL_MODEL_ID : undefined);
    const app = ctx.app();
    const existing = values.conversation as string | undefined;
    // Issue #14: an existing conversation answers with its own choice (a Local-only one stays local)
    // unless --model or --local names one; a new one starts from the user's default, like a new chat
    // in the app (a default of Local only is never left for Auto). The chat service applies both; the
    // model is only worked out here to label the summary line.
    const own = existing && named === undefined ? app.services.conversations.get(existing)?.model : undefined;
    const model = named ?? own ?? app.services.settings.get().defaultModel ?? AUTO_MODEL_ID;
    const routed = isRoutingMode(model);
    const live = !routed || (ctx.io.stdout as { isTTY?: boolean }).isTTY === true;
    const conversationId = existing ?? (await app.call('conversations.create', named !== undefined ? { model: named } : {})).id;

    let assistantId: string | null = null;
    const buffered: string[] = [];
    let finish!: (message: Message) => void;
    const finished = new Promise<Message>((resolve) => (finish = resolve));
    const unsubscribe = app.events.subscribe((e) => {
      if (e.event === 'chat.delta' && live) {
        if (assistantId === null) buffered.push(e.payload.text);
        else if (e.payload.messageId === assistantId) ctx.io.stdout.write(e.payload.text);
      } else if (e.event === 'chat.attempt' && e.payload.attempt > 1 && (assistantId === null || e.payload.messageId === assistantId)) {
        const restart = live ? ' (the answer restarts)' : '';
        ctx.io.stderr.write(`${live ? '\n' : ''}Escalated from ${e.payload.from ?? 'the previous model'}: ${e.payload.reason ?? 'its reply did not pass'} → ${e.payload.model} (${e.payload.tier})${restart}\n`);
      } else if (e.event === 'chat.message' && e.payload.message.id === assistantId && e.payload.message.status !== 'streaming') {
        finish(e.payload.message);
      }
    });
    const onAbort = () => assistantId && app.services.chat.stop(assistantId);
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    try {
      const { assistantMessage } = await app.call('chat.send', { conversationId, content: prompt, ...(named !== undefined ? { model: named } : {}) });
      assistantId = assistantMessage.id;
      // Deltas emitted before the id was known belong to this reply (the CLI sends one at a time).
      for (const text of buffered) ctx.io.stdout.write(text);
      const current = app.services.messages.get(assistantId);
      const message = current && current.status !== 'streaming' ? current : await finished;
      if (!live && message.content) ctx.io.stdout.write(message.content);
      if (message.content && !message.content.endsWith('\n')) ctx.io.stdout.write('\n');
      if (message.status === 'error' && message.error) throw new SwitchboardError(message.error.code, message.error.message);
      if (message.status === 'cancelled') return 130;
      ctx.io.stderr.write(`${summary(message, routed ? model : null)}\n`);
      return 0;
    } finally {
      unsubscribe();
      ctx.signal.removeEventListener('abort', onAbort);
    }
  },
};

/** `[model · seconds · tokens · cost]`; routed replies also name the mode, tier and escalations. */
function summary(message: Message, mode: string | null): string {
  const seconds = message.finishedAt && message.startedAt ? ((message.finishedAt - message.startedAt) / 1000).toFixed(2) : '?';
  const cost = message.costUsd === null ? 'cost unknown' : `$${message.costUsd.toFixed(message.costUsd > 0 && message.costUsd < 0.01 ? 6 : 4)}`;
  const ttft = message.firstTokenAt && message.startedAt ? ` · first token ${((message.firstTokenAt - message.startedAt) / 1000).toFixed(2)}s` : '';
  const tokens = `${message.promptTokens ?? '?'} in / ${message.completionTokens ?? '?'} out tokens`;
  const head = mode
    ? `${mode === LOCAL_MODEL_ID ? 'local only' : 'auto'} → ${message.modelId ?? '?'} · ${message.tier ?? '?'} · ${message.escalations} escalation${message.escalations === 1 ? '' : 's'}`
    : (message.modelId ?? '?');
  return `[${head} · ${seconds}s${ttft} · ${tokens} · ${cost}]`;
}
