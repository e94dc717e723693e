import { describe, expect, it } from 'vitest';
import { formFromSettings, inputFromForm, type ValidationFormState } from './validation-form';

const empty: ValidationFormState = { commands: { build: '', test: '', lint: '' }, skip: { build: false, test: false, lint: false }, maxRetries: '', timeouts: { build: '', test: '', lint: '' }, commandsAllowed: false };

describe('the workspace validation form', () => {
  it('sends empty fields as null (the detected commands, the defaults) and one command per non-blank line', () => {
    const r = inputFromForm('/repo', { ...empty, commands: { build: '', test: 'npm test\n\n  pytest -q  ', lint: '' }, maxRetries: '0', timeouts: { build: '', test: '90', lint: '' }, commandsAllowed: true });
    expect(r).toEqual({
      input: { root: '/repo', commands: { build: null, test: ['npm test', 'pytest -q'], lint: null }, maxRetries: 0, timeoutsSec: { build: null, test: 90, lint: null }, commandsAllowed: true },
    });
  });

  it('names each bad field in words', () => {
    const r = inputFromForm('/repo', { ...empty, maxRetries: '1.5', timeouts: { build: 'soon', test: '-5', lint: '7200' } });
    expect(r).toEqual({
      errors: {
        'timeouts.build': 'Build timeout must be a number (or empty for the default).',
      },
    });
    const r2 = inputFromForm('/repo', { ...empty, maxRetries: '-1', timeouts: { build: '', test: '-5', lint: '7200' } });
    expect(r2).toEqual({
      errors: {
        maxRetries: 'Retries cannot be negative.',
        'timeouts.test': 'Test timeout must be at least 1 second.',
        'timeouts.lint': 'Lint timeout must be at most 3600 seconds (an hour).',
      },
    });
    expect(inputFromForm('/repo', { ...empty, maxRetries: '1.5' })).toEqual({ errors: { maxRetries: 'Retries must be a whole number.' } });
  });

  it('shows what is stored', () => {
    const f = formFromSettings({
      root: '/repo', commands: { build: null, test: ['npm test', "vitest run 'a b'"], lint: [] }, detected: { build: [], test: [], lint: [] }, maxRetries: 3, timeoutsSec: { build: null, test: 60, lint: null },
      defaults: { maxRetries: 2, timeoutsSec: { build: 120, test: 300, lint: 120 } }, commandsAllowed: true,
    });
    expect(f).toEqual({
      commands: { build: '', test: "npm test\nvitest run 'a b'", lint: '' }, skip: { build: false, test: false, lint: true }, maxRetries: '3', timeouts: { build: '', test: '60', lint: '' }, commandsAllowed: true,
    });
    // A step switched off goes back as no commands, whatever its box holds.
    expect(inputFromForm('/repo', { ...f, commands: { ...f.commands, lint: 'eslint .' } })).toMatchObject({ input: { commands: { build: null, test: ['npm test', "vitest run 'a b'"], lint: [] } } });
  });
});
