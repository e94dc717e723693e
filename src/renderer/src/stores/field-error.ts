import { ClientError } from '../client/switchboard-client';
import { errorText } from './errors';

/**
 * An error in words for the field that caused it (issue #14): a refused input's own reasons
 * ("that key looks too short") without the call name and field path the dispatcher adds for logs.
 */
export function fieldErrorText(error: unknown): string {
  if (error instanceof ClientError && error.code === 'invalid_input' && Array.isArray(error.details?.issues)) {
    const reasons = (error.details.issues as unknown[]).filter((i): i is string => typeof i === 'string').map((i) => i.replace(/^[\w.[\]]+: /, ''));
    if (reasons.length) return reasons.map((r) => `${r.charAt(0).toUpperCase()}${r.slice(1)}${/[.!?]$/.test(r) ? '' : '.'}`).join(' ');
  }
  return errorText(error);
}
