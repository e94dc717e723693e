import { describe, expect, it } from 'vitest';
import { analyse, complexityOf, splitParts } from './analyse';
import { analyseWithRouterModel } from './analyse-with-model';
import { ScriptedRunner } from './testing';
import type { Intent } from './types';

const ask = (content: string) => analyse([{ role: 'user', content }]);

describe('analyse: intent', () => {
  const cases: Array<[Intent, string]> = [
    ['question', 'What is the difference between let and const?'],
    ['chat', 'hi there!'],
    ['code_generation', 'Write a python function that parses CSV files'],
    ['simple_edit', 'rename the variable foo to bar in src/app.ts'],
    ['refactor', 'Refactor the chat service to separate the transport from the request processor'],
    ['bug_fix', 'Why does my function throw TypeError: cannot read properties of undefined?'],
    ['review', 'Please review this function for problems'],
    ['test_generation', 'Write unit tests for the parser'],
    ['docs', 'Add JSDoc documentation to the exported functions'],
    ['architecture', 'Design the architecture for a scalable event-driven notification system'],
    ['research', 'Compare Postgres and MySQL: pros and cons for a small team'],
    ['summarisation', 'Summarize this article in five key points'],
    ['translation', 'Translate this paragraph into French'],
    ['math', 'Solve the equation 3x + 5 = 20'],
    ['other', 'hmm'],
  ];
  it.each(cases)('%s ← %s', (intent, prompt) => {
    expect(ask(prompt).intent).toBe(intent);
  });

  it('is sure of a lone strong signal and unsure of a tie or of nothing', () => {
    expect(ask('Summarize this article').confidence).toBeGreaterThan(0.9);
    expect(ask('hmm').confidence).toBeLessThan(0.55);
    expect(ask('explain how promises work in javascript').confidence).toBeLessThan(0.6);
  });

  it('says why', () => {
    expect(ask('Refactor the parser').signals).toContain('refactor: refactor');
  });

  it('reads only the last user message for intent', () => {
    const a = analyse([
      { role: 'user', content: 'Translate this to French' },
      { role: 'assistant', content: 'Bonjour' },
      { role: 'user', content: 'now summarize our chat' },
    ]);
    expect(a.intent).toBe('summarisation');
  });
});

describe('analyse: complexity (seed 002: <20 trivial, <50 simple, <100 medium, else complex)', () => {
  it('classes by token count', () => {
    expect(complexityOf(19)).toBe('trivial');
    expect(complexityOf(20)).toBe('simple');
    expect(complexityOf(49)).toBe('simple');
    expect(complexityOf(50)).toBe('medium');
    expect(complexityOf(99)).toBe('medium');
    expect(complexityOf(100)).toBe('complex');
  });

  it('counts the instruction, not pasted code, and bumps for long code, files and system-wide work', () => {
    const code = Array.from({ length: 200 }, (_, i) => `const v${i} = ${i};`).join('\n');
    const withCode = ask(`Fix the typo here:\n\`\`\`ts\n${code}\n\`\`\``);
    expect(withCode.codeBlocks).toBe(1);
    expect(withCode.requestTokens).toBeLessThan(20);
    expect(withCode.complexity).toBe('simple');
    expect(ask('Update src/a.ts and src/b.ts').complexity).toBe('medium');
    expect(ask('Refactor the entire codebase to use dependency injection').complexity).toBe('complex');
    const long = ask('Please '.repeat(10) + 'write a long explanation of the event loop '.repeat(12));
    expect(long.complexity).toBe('complex');
  });

  it('measures the whole conversation as context', () => {
    const history = [
      { role: 'user' as const, content: 'x'.repeat(35_000) },
      { role: 'user' as const, content: 'and now?' },
    ];
    expect(analyse(history).contextTokens).toBeGreaterThan(10_000);
  });
});

describe('analyse: parts (seed 002 separators and, also, then)', () => {
  it('splits on a separator followed by a verb', () => {
    const a = ask('Add auth middleware and implement caching');
    expect(a.parts.map((p) => p.text)).toEqual(['Add auth middleware', 'implement caching']);
    expect(a.parallelizable).toBe(true);
  });

  it('keeps "then" as a dependency', () => {
    const a = ask('Fix all build errors, then work on milestone 3');
    expect(a.parts).toEqual([
      { text: 'Fix all build errors', dependsOnPrevious: false },
      { text: 'work on milestone 3', dependsOnPrevious: true },
    ]);
    expect(a.parallelizable).toBe(false);
  });

  it('does not split nouns joined by "and"', () => {
    expect(splitParts('fix the parser and lexer')).toHaveLength(1);
  });

  it('splits on "also" and numbered lists', () => {
    expect(splitParts('Rename the module. Also, add a changelog entry')).toHaveLength(2);
    const list = ask('Do these:\n1. add a logout button\n2. fix the login redirect\n3. update the docs');
    expect(list.parts.map((p) => p.text)).toEqual(['add a logout button', 'fix the login redirect', 'update the docs']);
    expect(list.parallelizable).toBe(true);
    expect(list.complexity).toBe('medium');
  });
});

describe('analyse: quality, files, code and JSON', () => {
  it.each([
    ['security', 'Check this login handler for SQL injection'],
    ['production', 'Hotfix for the production outage in checkout'],
    ['payments', 'Refund handling in our Stripe integration'],
    ['data loss', 'Write a migration that will drop table users'],
    ['PII', 'Store personal data under GDPR rules'],
  ])('critical: %s', (label, prompt) => {
    const a = ask(prompt);
    expect(a.qualityRequirement).toBe('critical');
    expect(a.signals.join('|')).toContain(label);
  });

  it('keeps ordinary work standard', () => {
    expect(ask('Rename foo to bar').qualityRequirement).toBe('standard');
    expect(ask('Write an author bio').qualityRequirement).toBe('standard');
  });

  it('finds files, code blocks and JSON requests', () => {
    const a = ask('Compare `src/main/app.ts` with package.json and the Dockerfile\n```js\nx()\n```\n```py\ny()\n```');
    expect(a.filesMentioned).toEqual(['src/main/app.ts', 'package.json', 'Dockerfile']);
    expect(a.codeBlocks).toBe(2);
    expect(ask('List three colours as a JSON array').wantsJson).toBe(true);
    expect(ask('Return the users as JSON').wantsJson).toBe(true);
    expect(ask('Fix the JSON parse error in the config loader').wantsJson).toBe(false);
  });
});

describe('analyseWithRouterModel', () => {
  const unsure = [{ role: 'user' as const, content: 'hmm' }];
  const opts = (runner: ScriptedRunner, extra = {}) => ({ runner, model: 'ollama/phi3:mini', belowConfidence: 0.55, timeoutMs: 1000, ...extra });

  it('does not ask the model when the heuristic is sure', async () => {
    const runner = new ScriptedRunner();
    const a = await analyseWithRouterModel([{ role: 'user', content: 'Summarize this' }], opts(runner));
    expect(a.source).toBe('heuristic');
    expect(runner.calls).toHaveLength(0);
  });

  it('asks the router model with a JSON schema and takes its validated verdict', async () => {
    const runner = new ScriptedRunner().script('ollama/phi3:mini', { text: '{"intent":"refactor","complexity":"medium","qualityRequirement":"standard"}' });
    const a = await analyseWithRouterModel(unsure, opts(runner));
    expect(a).toMatchObject({ intent: 'refactor', complexity: 'medium', source: 'router-model', confidence: 0.8 });
    expect(runner.calls[0]).toMatchObject({ purpose: 'router.classify', options: { jsonSchema: expect.objectContaining({ type: 'object' }) } });
  });

  it('never lowers a keyword-detected critical requirement', async () => {
    const runner = new ScriptedRunner().script('ollama/phi3:mini', { text: '{"intent":"other","complexity":"simple","qualityRequirement":"standard"}' });
    const a = await analyseWithRouterModel([{ role: 'user', content: 'hmm, the password thing' }], opts(runner, { belowConfidence: 0.99 }));
    expect(a.qualityRequirement).toBe('critical');
  });

  it('sends an invalid verdict back once with its errors and takes the fix', async () => {
    const runner = new ScriptedRunner().script(
      'ollama/phi3:mini',
      { text: '{"intent":"dance","complexity":"medium","qualityRequirement":"standard"}' },
      { text: '{"intent":"refactor","complexity":"medium","qualityRequirement":"standard"}' },
    );
    const a = await analyseWithRouterModel(unsure, opts(runner));
    expect(a).toMatchObject({ intent: 'refactor', source: 'router-model' });
    expect(runner.calls).toHaveLength(2);
    expect(runner.calls[1]?.messages.at(-1)?.content).toMatch(/could not be used:\n- intent: /);
  });

  it.each([
    ['invalid JSON', { text: 'refactor, I think' }],
    ['a schema mismatch', { text: '{"intent":"dance","complexity":"medium","qualityRequirement":"standard"}' }],
    ['an error', { error: 'unavailable' as const }],
    ['a timeout', { hang: true }],
  ])('falls back to the heuristic on %s', async (_, reply) => {
    const runner = new ScriptedRunner().script('ollama/phi3:mini', reply);
    const a = await analyseWithRouterModel(unsure, opts(runner, { timeoutMs: 20 }));
    expect(a.source).toBe('heuristic');
    expect(a.intent).toBe('other');
    expect(a.signals.at(-1)).toMatch(/router model ollama\/phi3:mini not used/);
  });
});
