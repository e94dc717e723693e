import { ClientError } from '../client/switchboard-client';

/** A message a person can act on, from anything a call threw. */
export function errorText(error: unknown): string {
  if (error instanceof ClientError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
