import { describe, expect, it } from 'vitest';
import { ClientError } from '../client/switchboard-client';
import { fieldErrorText } from './field-error';

describe('fieldErrorText', () => {
  it('says why an input was refused without the call name or field path', () => {
    const refused = new ClientError({
      code: 'invalid_input',
      message: 'Invalid input for secrets.set: value: that key looks too short',
      retryable: false,
      details: { issues: ['value: that key looks too short'] },
    });
    expect(fieldErrorText(refused)).toBe('That key looks too short.');
  });

  it('keeps any other error as it is', () => {
    expect(fieldErrorText(new ClientError({ code: 'keychain_unavailable', message: 'The keychain is locked.', retryable: false }))).toBe('The keychain is locked.');
    expect(fieldErrorText(new Error('boom'))).toBe('boom');
  });
});
