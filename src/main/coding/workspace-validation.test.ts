import { describe, expect, it } from 'vitest';
import { DEFAULT_VALIDATION } from './validation/validation-pipeline';
import { joinArgv, splitCommandLine, toStoredValidation, validationFor } from './workspace-validation';

describe('a workspace command line', () => {
  it('splits into argv as a shell splits words and quotes, without a shell', () => {
    expect(splitCommandLine('  npm run   test ')).toEqual(['npm', 'run', 'test']);
    expect(splitCommandLine(`pytest -k "not slow" 'tests/a b.py' x\\ y ""`)).toEqual(['pytest', '-k', 'not slow', 'tests/a b.py', 'x y', '']);
    expect(splitCommandLine('echo $HOME | wc')).toEqual(['echo', '$HOME', '|', 'wc']);
    expect(() => splitCommandLine('npm run "build')).toThrow('the double quote is not closed');
    expect(() => splitCommandLine("it's")).toThrow('the single quote is not closed');
  });

  it('reads back what joinArgv writes', () => {
    for (const argv of [['npm', 'test'], ['sh', '-c', "echo 'hi' > x"], ['a b', '', '--flag=1,2']]) expect(splitCommandLine(joinArgv(argv))).toEqual(argv);
    expect(joinArgv(['npm', 'run', '--silent', 'lint'])).toBe('npm run --silent lint');
  });
});

describe("a workspace's validation settings", () => {
  it('override the seed defaults only where set', () => {
    expect(validationFor(DEFAULT_VALIDATION, { maxRetries: null, timeoutsMs: {} })).toEqual(DEFAULT_VALIDATION);
    const v = validationFor(DEFAULT_VALIDATION, { maxRetries: 0, timeoutsMs: { test: 5_000 } });
    expect(v.maxRetries).toBe(0);
    expect(v.timeoutsMs).toEqual({ build: 120_000, test: 5_000, lint: 120_000 });
  });

  it('are stored as argv arrays and milliseconds; a blank line is dropped, null keeps the detected commands', () => {
    const stored = toStoredValidation({ root: '/w', commands: { build: null, test: ['npm test', '  '], lint: [] }, maxRetries: 3, timeoutsSec: { build: 1.5, test: null, lint: null } });
    expect(stored).toEqual({ commands: { test: [['npm', 'test']], lint: [] }, maxRetries: 3, timeoutsMs: { build: 1_500 }, commandsAllowed: undefined });
  });
});
