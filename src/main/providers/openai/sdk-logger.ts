import type { Logger } from '../../logger';

/** The official SDKs' logger shape, routed into ours so their warnings are redacted like every line. */
export interface SdkLogger {
  error: (message: string, ...rest: unknown[]) => void;
  warn: (message: string, ...rest: unknown[]) => void;
  info: (message: string, ...rest: unknown[]) => void;
  debug: (message: string, ...rest: unknown[]) => void;
}

export function sdkLogger(logger: Logger): SdkLogger {
  const fields = (rest: unknown[]): Record<string, unknown> | undefined => (rest.length ? { args: rest } : undefined);
  return {
    error: (m, ...rest) => logger.error(m, fields(rest)),
    warn: (m, ...rest) => logger.warn(m, fields(rest)),
    info: (m, ...rest) => logger.info(m, fields(rest)),
    debug: (m, ...rest) => logger.debug(m, fields(rest)),
  };
}
