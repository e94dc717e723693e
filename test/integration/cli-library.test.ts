import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConversationArchive } from '../../src/shared/contract';
import { tempDir } from '../helpers/app-harness';
import { cli } from '../helpers/cli-harness';

const CHATGPT = path.resolve(import.meta.dirname, '../fixtures/chatgpt-conversations.json');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('cli export / import (issue #14)', () => {
  it("imports ChatGPT's export, exports the archive, and imports that into another data dir", async () => {
    const a = tempDir();
    const b = tempDir();
    dirs.push(a, b);
    const env = { OLLAMA_HOST: 'http://127.0.0.1:2' };
    const imported = await cli(['import', CHATGPT, '--json', '--data-dir', a], env);
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ format: 'chatgpt', messages: 6 });

    const out = path.join(a, 'archive.json');
    expect((await cli(['export', '--out', out, '--data-dir', a], env)).code).toBe(0);
    const archive = ConversationArchive.parse(JSON.parse(fs.readFileSync(out, 'utf8')));
    expect(archive.conversations.map((c) => c.title).sort()).toEqual(['Python one-liner', 'Sourdough starter']);

    const again = await cli(['import', out, '--data-dir', b], env);
    expect(again).toMatchObject({ code: 0, stdout: 'Imported 2 conversations (6 messages) from a Switchboard archive.\n' });
    const md = await cli(['export', '--conversation', archive.conversations.find((c) => c.title === 'Python one-liner')!.id, '--format', 'markdown', '--data-dir', a], env);
    expect(md.stdout).toContain('# Python one-liner');
    expect(md.stdout).toContain('s[::-1]');
  });

  it('says what is wrong with a bad file or bad options', async () => {
    const a = tempDir();
    dirs.push(a);
    const bad = path.join(a, 'bad.json');
    fs.writeFileSync(bad, '{"nope": true}');
    const refused = await cli(['import', bad, '--data-dir', a], {});
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('“bad.json” is not a file Switchboard can import');
    expect((await cli(['export', '--format', 'markdown', '--data-dir', a], {})).code).toBe(2);
  });
});
