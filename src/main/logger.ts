import { redactor } from './secrets/redactor';

/**
 * The one logger of the main process. Every line goes through the process's Redactor
 * (secrets/redactor.ts), so an API key that reaches a log message by accident (an SDK error that
 * echoes a header, say) is masked.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(scope: string): Logger;
}

export interface LogSink {
  write(line: string): void;
}

export interface LoggerOptions {
  level?: LogLevel;
  sink?: LogSink;
  scope?: string;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const envLevel = process.env.SWITCHBOARD_LOG_LEVEL as LogLevel | undefined;
  const level = options.level ?? (envLevel && envLevel in LEVELS ? envLevel : 'info');
  const sink = options.sink ?? { write: (line: string) => process.stderr.write(line + '\n') };
  const make = (scope: string | undefined): Logger => {
    const log = (lvl: LogLevel, message: string, fields?: Record<string, unknown>): void => {
      if (LEVELS[lvl] < LEVELS[level]) return;
      const record: Record<string, unknown> = { t: new Date().toISOString(), level: lvl };
      if (scope) record.scope = scope;
      record.msg = message;
      if (fields) Object.assign(record, fields);
      sink.write(redactor.text(JSON.stringify(record, errorReplacer)));
    };
    return {
      debug: (m, f) => log('debug', m, f),
      info: (m, f) => log('info', m, f),
      warn: (m, f) => log('warn', m, f),
      error: (m, f) => log('error', m, f),
      child: (s) => make(scope ? `${scope}.${s}` : s),
    };
  };
  return make(options.scope);
}

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    const e = value as Error & { code?: unknown };
    return { name: e.name, message: e.message, code: e.code };
  }
  return value;
}

/** A logger that drops everything: for tests and the CLI's quiet paths. */
export const silentLogger: Logger = createLogger({ sink: { write: () => undefined } });
