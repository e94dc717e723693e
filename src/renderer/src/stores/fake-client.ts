import type { CallInput, CallOutput, Channel } from '../../../shared/contract';
import type { ErrorCode } from '../../../shared/errors';
import { ClientError, type SwitchboardClient } from '../client/switchboard-client';

type Handler<C extends Channel> = (input: CallInput<C>) => CallOutput<C> | Promise<CallOutput<C>>;

/**
 * A SwitchboardClient for store tests (CONVENTIONS: Chatbox's test Platform): each channel answers
 * with the handler a test gives it, every call is recorded, and a channel with no handler fails
 * the way main would.
 */
export class FakeClient implements SwitchboardClient {
  readonly transport = 'http' as const;
  readonly calls: Array<{ channel: Channel; input: unknown }> = [];
  private readonly handlers = new Map<Channel, (input: never) => unknown>();

  handle<C extends Channel>(channel: C, handler: Handler<C>): this {
    this.handlers.set(channel, handler as (input: never) => unknown);
    return this;
  }

  /** What a test's handler throws to answer with main's typed error. */
  static error(code: ErrorCode, message: string): ClientError {
    return new ClientError({ code, message, retryable: false });
  }

  /** The inputs `channel` was called with, oldest first. */
  inputsOf<C extends Channel>(channel: C): Array<CallInput<C>> {
    return this.calls.filter((c) => c.channel === channel).map((c) => c.input as CallInput<C>);
  }

  async invoke<C extends Channel>(channel: C, input: CallInput<C>): Promise<CallOutput<C>> {
    this.calls.push({ channel, input });
    const handler = this.handlers.get(channel) as Handler<C> | undefined;
    if (!handler) throw FakeClient.error('not_found', `The fake client has no handler for ${channel}.`);
    return handler(input);
  }

  on(): () => void {
    return () => undefined;
  }

  onReconnect(): () => void {
    return () => undefined;
  }
}
