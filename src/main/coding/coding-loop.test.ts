import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ModelRunner, RunRequest, StreamPart } from '../runner';
import { attemptChain, runCodingTask, type CodingLoopDeps } from './coding-loop';
import { wholeRepoContext } from './whole-repo-context';

/** A runner that answers from a script per model and records every request. */
function scripted(replies: Record<string, (r: RunRequest) => string>): ModelRunner & { requests: RunRequest[] } {
  const requests: RunRequest[] = [];
  return {
    requests,
    async *stream(r: RunRequest): AsyncIterable<StreamPart> {
      requests.push(r);
      const reply = replies[r.model];
      yield { type: 'text-delta', text: reply ? reply(r) : '' };
      yield { type: 'usage', usage: { inputTokens: 100, outputTokens: 50, estimated: false } };
      yield { type: 'finish', reason: 'stop' };
    },
  };
}

const block = (file: string, search: string, replace: string): string => `${file}\n<<<<<<< SEARCH\n${search}=======\n${replace}>>>>>>> REPLACE\n`;

describe('runCodingTask', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(tmpdir(), 'sb-loop-'));
    fs.writeFileSync(path.join(root, 'app.py'), 'def add(a, b):\n    return a - b\n');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const deps = (runner: ModelRunner, chain = ['ollama/small', 'groq/big']): CodingLoopDeps => ({
    runner,
    route: async () => ({ model: chain[0] ?? null, chain, refusal: null }),
    tierOf: (m) => (m.startsWith('ollama/') ? 'local' : 'free'),
    costOf: (m) => (m.startsWith('ollama/') ? 0 : 0.001),
    context: wholeRepoContext,
  });

  it('architect/editor: the strong model plans, the routed model writes the blocks with the plan in its prompt', async () => {
    const runner = scripted({
      'groq/big': () => 'Change the subtraction in add() to an addition.',
      'ollama/small': () => block('app.py', '    return a - b\n', '    return a + b\n'),
    });
    const out = await runCodingTask(deps(runner), { root, task: 'add() subtracts; make it add', architectModel: 'groq/big', commandsAllowed: false, offline: true });
    expect(out.status).toBe('passed');
    expect(runner.requests.map((r) => `${r.purpose} ${r.model}`)).toEqual(['coding.plan groq/big', 'coding.edit ollama/small']);
    expect(String(runner.requests[1]?.messages.at(-1)?.content)).toContain("The architect's plan for this change:\nChange the subtraction");
    expect(out.totalCostUsd).toBe(0.001);
    expect(out.warnings[0]).toMatch(/not a git repository/);
    expect(fs.readFileSync(path.join(root, 'app.py'), 'utf8')).toBe('def add(a, b):\n    return a + b\n');
    out.applied?.undo();
    expect(fs.readFileSync(path.join(root, 'app.py'), 'utf8')).toBe('def add(a, b):\n    return a - b\n');
  });

  it('an empty reply is a failed attempt, the next one climbs the chain, and the top of the chain is retried', async () => {
    const runner = scripted({ 'groq/big': () => block('app.py', '    return a - b\n', '    return (a +\n') });
    const out = await runCodingTask(deps(runner), { root, task: 'fix add', commandsAllowed: false, offline: true });
    expect(out.status).toBe('failed');
    expect(out.attempts.map((a) => `${a.model}:${a.validation.syntax}`)).toEqual(['ollama/small:skipped', 'groq/big:failed', 'groq/big:failed']);
    expect(out.attempts[0]?.error).toMatch(/no SEARCH\/REPLACE blocks/);
    expect(fs.readFileSync(path.join(root, 'app.py'), 'utf8')).toBe('def add(a, b):\n    return a - b\n');
  });

  it('says when an edit changes a file that defines how validation runs', async () => {
    fs.writeFileSync(path.join(root, 'pyproject.toml'), '[tool.ruff]\nline-length = 100\n');
    const runner = scripted({ 'ollama/small': () => block('pyproject.toml', 'line-length = 100\n', 'line-length = 200\n') });
    const out = await runCodingTask(deps(runner), { root, task: 'allow longer lines', commandsAllowed: false, offline: true });
    expect(out.status).toBe('passed');
    expect(out.warnings).toContainEqual(expect.stringMatching(/^Attempt 1 \(ollama\/small\) edited pyproject\.toml, which defines how validation runs/));
    out.applied?.undo();
  });

  it('attemptChain starts at the chosen model and keeps the router chain above it', () => {
    expect(attemptChain('b', ['a', 'b', 'c'])).toEqual(['b', 'c']);
    expect(attemptChain('x', ['a', 'b'])).toEqual(['x', 'a', 'b']);
  });
});
