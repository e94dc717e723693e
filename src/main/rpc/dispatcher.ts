import type { z } from 'zod';
import { contract, isChannel, type CallInput, type CallOutput, type Channel } from '../../shared/contract';
import { SwitchboardError } from '../../shared/errors';
import { fail, ok, type Result } from '../../shared/result';
import type { Logger } from '../logger';
import { redactor } from '../secrets/redactor';

/** Who is calling: transports fill this in; handlers may use it for auditing. */
export interface CallContext {
  transport: 'electron' | 'http' | 'cli' | 'test';
}

export type Handler<C extends Channel> = (input: z.output<(typeof contract)[C]['input']>, ctx: CallContext) => Promise<CallOutput<C>> | CallOutput<C>;

/** Every channel of the contract has exactly one handler. */
export type Handlers = { [C in Channel]: Handler<C> };

/** The handlers of one domain (its channels share a prefix, e.g. `hardware.`); app.ts merges them. */
export type DomainHandlers<Prefix extends string> = { [C in Extract<Channel, `${Prefix}.${string}`>]: Handler<C> };

export type Dispatch = (channel: string, input: unknown, ctx: CallContext) => Promise<Result<unknown>>;

/**
 * The request processor both transports share: checks the channel and the input against the
 * contract before a handler runs, and turns every outcome into the `{ ok, data | error }` envelope.
 */
export function createDispatcher(handlers: Handlers, logger: Logger): Dispatch {
  return async (channel, input, ctx) => {
    if (!isChannel(channel)) {
      return fail(new SwitchboardError('not_found', `There is no call named "${channel}".`));
    }
    const spec = contract[channel];
    const parsed = spec.input.safeParse(input ?? {});
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message));
      return fail(new SwitchboardError('invalid_input', `Invalid input for ${channel}: ${issues.join('; ')}`, { details: { issues } }));
    }
    try {
      const handler = handlers[channel] as (input: unknown, ctx: CallContext) => unknown;
      const data = await handler(parsed.data, ctx);
      return ok(data);
    } catch (error) {
      if (!(error instanceof SwitchboardError)) logger.error('handler failed', { channel, error });
      // Provider text is masked where it enters the app (secrets/redactor.ts); this is the backstop
      // for an error built elsewhere from a raw message (a thrown transport error, say).
      return fail(error instanceof SwitchboardError ? redactor.error(error) : error);
    }
  };
}

/** A typed in-process caller: the CLI and tests use the same path as the transports. */
export function createCaller(dispatch: Dispatch, ctx: CallContext) {
  return async function callTyped<C extends Channel>(channel: C, input: CallInput<C>): Promise<CallOutput<C>> {
    const result = await dispatch(channel, input, ctx);
    if (!result.ok) throw new SwitchboardError(result.error.code, result.error.message, { retryable: result.error.retryable, details: result.error.details });
    return result.data as CallOutput<C>;
  };
}
