import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WorkspaceSettingsInput } from '../../shared/contract';
import { writeWorkspaceFixture } from '../../../test/fixtures/workspace-index';
import { silentLogger } from '../logger';
import { MIGRATIONS, openDatabase, type Db } from '../store';
import { WorkspaceService } from './workspace-service';

let base: string;
let db: Db;
let settings: WorkspaceSettingsInput;
let service: WorkspaceService;
let clock: number;

beforeEach(() => {
  base = realpathSync(mkdtempSync(path.join(tmpdir(), 'sb-ws-')));
  db = openDatabase(':memory:', { migrations: MIGRATIONS });
  settings = {};
  clock = 1_000;
  service = new WorkspaceService({ db, settings: () => settings, logger: silentLogger, now: () => ++clock });
});
afterEach(async () => {
  await service.dispose();
  db.close();
  rmSync(base, { recursive: true, force: true });
});

function fixture(name = 'repo'): string {
  return writeWorkspaceFixture(path.join(base, name));
}

function git(dir: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.email=t@example.invalid', '-c', 'user.name=Test', ...args], { cwd: dir, stdio: 'ignore' });
}

/** Rewrites a file with new content and a later mtime (so a size-equal edit is still seen). */
function edit(file: string, content: string): void {
  writeFileSync(file, content);
  const later = new Date(Date.now() + 5_000);
  utimesSync(file, later, later);
}

describe('WorkspaceService: opening folders', () => {
  it('a folder that is not a git repository works, says so, and still honours .gitignore and default ignores', async () => {
    const root = fixture();
    writeFileSync(path.join(root, '.gitignore'), 'generated/\n*.log\n!keep.log\n');
    mkdirSync(path.join(root, 'generated'));
    writeFileSync(path.join(root, 'generated', 'big.ts'), 'export const x = 1;\n');
    writeFileSync(path.join(root, 'debug.log'), 'noise');
    writeFileSync(path.join(root, 'keep.log'), 'kept');
    mkdirSync(path.join(root, 'node_modules', 'dep'), { recursive: true });
    writeFileSync(path.join(root, 'node_modules', 'dep', 'index.js'), 'module.exports = 1;');
    const ws = await service.open(root, { checkAllowedRoot: false });
    expect(ws.git).toMatchObject({ isRepo: false, branch: null, dirty: [] });
    expect(ws.git.note).toMatch(/not a git repository/);
    const paths = service.files(ws.id, '', 200).paths;
    expect(paths).toContain('ts/src/parser.ts');
    expect(paths).toContain('keep.log');
    expect(paths.filter((p) => p.startsWith('generated/') || p.startsWith('node_modules/') || p === 'debug.log')).toEqual([]);
    expect(ws.index.symbols).toBeGreaterThan(10);
  });

  it('in a git repository: branch, dirty files, and only what git lists (.gitignore respected)', async () => {
    const root = fixture();
    writeFileSync(path.join(root, '.gitignore'), 'secret-build/\n');
    git(root, 'init', '-q', '-b', 'feature-x');
    git(root, 'add', '.');
    git(root, 'commit', '-q', '-m', 'init');
    mkdirSync(path.join(root, 'secret-build'));
    writeFileSync(path.join(root, 'secret-build', 'out.js'), 'function leaked() {}');
    writeFileSync(path.join(root, 'ts', 'src', 'new-file.ts'), 'export const fresh = 1;\n');
    edit(path.join(root, 'py', 'shop', 'tax.py'), 'TAX_RATE = 0.25\n');
    const ws = await service.open(root, { checkAllowedRoot: false });
    expect(ws.git).toMatchObject({ isRepo: true, branch: 'feature-x', note: null });
    expect(ws.git.dirty.sort()).toEqual(['py/shop/tax.py', 'ts/src/new-file.ts']);
    const paths = service.files(ws.id, '', 200).paths;
    expect(paths).toContain('ts/src/new-file.ts');
    expect(paths.some((p) => p.startsWith('secret-build/'))).toBe(false);
  });

  it('skips binaries and huge files (listed, never parsed or sent)', async () => {
    const root = fixture();
    writeFileSync(path.join(root, 'logo.ts'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2]));
    writeFileSync(path.join(root, 'bundle.js'), `function huge() {}\n${'x'.repeat(600 * 1024)}`);
    const ws = await service.open(root, { checkAllowedRoot: false });
    expect(ws.index.skipped).toBe(2);
    const pack = await service.provider({ root, task: 'look at logo.ts and bundle.js and huge', budgetBytes: 2_000_000 });
    expect(pack.files.map((f) => f.path)).not.toContain('logo.ts');
    expect(pack.files.map((f) => f.path)).not.toContain('bundle.js');
  });

  it('refuses a symlinked file leading out (not indexed, cannot be added to the context)', async () => {
    const root = fixture();
    mkdirSync(path.join(base, 'outside'));
    writeFileSync(path.join(base, 'outside', 'secret.ts'), 'export const password = "hunter2";\n');
    symlinkSync(path.join(base, 'outside', 'secret.ts'), path.join(root, 'secret.ts'));
    symlinkSync(path.join(base, 'outside'), path.join(root, 'linked'));
    const ws = await service.open(root, { checkAllowedRoot: false, conversationId: 'c1' });
    expect(service.files(ws.id, 'secret').paths).toEqual([]);
    await expect(service.editContext('c1', { add: 'secret.ts' })).rejects.toThrow(/outside the workspace \(a symlink leads out\)/);
    await expect(service.editContext('c1', { add: 'linked/secret.ts' })).rejects.toThrow(/outside the workspace/);
    await expect(service.editContext('c1', { add: '../outside/secret.ts' })).rejects.toThrow(/outside the workspace/);
    const pack = await service.provider({ root, task: 'what is the password in secret.ts', budgetBytes: 50_000, conversationId: 'c1', pinned: ['secret.ts'] }).catch((e: Error) => e);
    expect(pack).toBeInstanceOf(Error);
  });
});

describe('WorkspaceService: allowed roots (headless)', () => {
  it('with no allowed root set, explains how to set one', async () => {
    const root = fixture();
    await expect(service.open(root, { checkAllowedRoot: true })).rejects.toThrow(/Settings → Workspace lists an allowed root.*workspace\.allowedRoots/);
  });

  it('opens a folder under an allowed root, refuses one outside it and a symlink inside that leads out', async () => {
    const allowed = path.join(base, 'allowed');
    mkdirSync(allowed);
    settings = { allowedRoots: [allowed] };
    const inside = writeWorkspaceFixture(path.join(allowed, 'proj'));
    const outside = fixture('elsewhere');
    symlinkSync(outside, path.join(allowed, 'sneaky'));
    expect((await service.open(inside, { checkAllowedRoot: true })).root).toBe(inside);
    await expect(service.open(outside, { checkAllowedRoot: true })).rejects.toThrow(/not under an allowed root/);
    await expect(service.open(path.join(allowed, 'sneaky'), { checkAllowedRoot: true })).rejects.toThrow(/not under an allowed root/);
    await expect(service.open(path.join(allowed, 'proj', '..', '..', 'elsewhere'), { checkAllowedRoot: true })).rejects.toThrow(/not under an allowed root/);
    await expect(service.open('relative/path', { checkAllowedRoot: true })).rejects.toThrow(/not an absolute path/);
    await expect(service.open(path.join(allowed, 'missing'), { checkAllowedRoot: true })).rejects.toThrow(/There is no folder/);
  });
});

describe('WorkspaceService: targeted and differential context', () => {
  it("puts the mentioned symbol's file first and a file it references above an unrelated one", async () => {
    const root = fixture();
    await service.open(root, { checkAllowedRoot: false });
    const pack = await service.provider({ root, task: 'parseConfig drops the last value when the input has an odd length; fix it', budgetBytes: 20_000 });
    const paths = pack.files.map((f) => f.path);
    expect(paths[0]).toBe('ts/src/parser.ts');
    expect(pack.files[0]!.reason).toBe('defines parseConfig');
    expect(paths).toContain('ts/src/tokenizer.ts');
    const tokenizerAt = paths.indexOf('ts/src/tokenizer.ts');
    const unrelatedAt = paths.indexOf('ts/src/unrelated.ts');
    expect(unrelatedAt === -1 || unrelatedAt > tokenizerAt).toBe(true);
    expect(pack.files.find((f) => f.path === 'ts/src/tokenizer.ts')!.reason).toMatch(/Tokenizer|Token/);
  });

  it('a file mentioned by path is sent, with its reason', async () => {
    const root = fixture();
    await service.open(root, { checkAllowedRoot: false });
    const pack = await service.provider({ root, task: 'In go/server/handler.go, return 403 instead of 401', budgetBytes: 20_000 });
    expect(pack.files[0]).toMatchObject({ path: 'go/server/handler.go', reason: 'mentioned' });
    expect(pack.files.map((f) => f.path)).toContain('go/server/auth.go');
  });

  it('never exceeds the byte budget (files and repo map together)', async () => {
    const root = fixture();
    await service.open(root, { checkAllowedRoot: false, conversationId: 'c1' });
    for (const budget of [1_000, 1_500, 3_000]) {
      const pack = await service.provider({ root, task: 'ShoppingCart total uses compute_tax; also check parseConfig and restock', budgetBytes: budget });
      const bytes = pack.files.reduce((n, f) => n + Buffer.byteLength(f.content), 0) + Buffer.byteLength(pack.repoMap);
      expect(bytes).toBeLessThanOrEqual(budget);
      expect(pack.files.length + pack.omitted.length).toBeGreaterThan(0);
    }
    const tiny = await service.provider({ root, task: 'ShoppingCart total uses compute_tax; also check parseConfig and restock', budgetBytes: 1_000 });
    expect(tiny.omitted.length).toBeGreaterThan(0);
  });

  it('a follow-up sends only what changed or was not sent yet', async () => {
    const root = fixture();
    await service.open(root, { checkAllowedRoot: false, conversationId: 'c1' });
    const task = 'compute_tax should round half up';
    const first = await service.provider({ root, task, budgetBytes: 20_000, conversationId: 'c1' });
    expect(first.files.map((f) => f.path)).toEqual(expect.arrayContaining(['py/shop/tax.py', 'py/shop/cart.py']));

    const second = await service.provider({ root, task, budgetBytes: 20_000, conversationId: 'c1' });
    expect(second.files).toEqual([]);
    expect(second.omitted).toEqual(expect.arrayContaining(['py/shop/tax.py', 'py/shop/cart.py']));

    edit(path.join(root, 'py', 'shop', 'tax.py'), 'TAX_RATE = 0.2\n\n\ndef compute_tax(amount):\n    return int(amount * TAX_RATE * 100 + 0.5) / 100\n');
    const third = await service.provider({ root, task: 'now check the tax tests', budgetBytes: 20_000, conversationId: 'c1' });
    expect(third.files.map((f) => [f.path, f.reason])).toEqual([['py/shop/tax.py', 'changed since last turn']]);
    expect(third.files[0]!.content).toContain('+ 0.5');

    // Another conversation has its own record: it gets everything again.
    const other = await service.provider({ root, task, budgetBytes: 20_000, conversationId: 'c2' });
    expect(other.files.map((f) => f.path)).toEqual(expect.arrayContaining(['py/shop/tax.py', 'py/shop/cart.py']));
  });

  it('files the user adds come first; files the user removes are not sent again', async () => {
    const root = fixture();
    await service.open(root, { checkAllowedRoot: false, conversationId: 'c1' });
    let ctx = await service.editContext('c1', { add: 'js/util.js' });
    expect(ctx.files).toEqual([expect.objectContaining({ path: 'js/util.js', pinned: true })]);
    ctx = await service.editContext('c1', { remove: 'ts/src/tokenizer.ts' });
    expect(ctx.excluded).toEqual(['ts/src/tokenizer.ts']);
    const sel = await service.selectForConversation('c1', 'parseConfig and Tokenizer');
    expect(sel.files[0]).toMatchObject({ path: 'js/util.js', reason: 'added by you' });
    expect(sel.files.map((f) => f.path)).not.toContain('ts/src/tokenizer.ts');
    expect(sel.repoMap).not.toContain('ts/src/tokenizer.ts');
    // A preview records nothing as sent; a chat reply's selection does once the reply went (markSent).
    expect((await service.context('c1')).files.map((f) => f.path)).toEqual(['js/util.js']);
    const chat = (await service.forChat('c1', 'parseConfig and Tokenizer'))!;
    expect(chat.files.map((f) => f.path)).toEqual(sel.files.map((f) => f.path));
    chat.markSent();
    ctx = await service.context('c1');
    expect(ctx.files.map((f) => f.path)).toEqual(expect.arrayContaining(['js/util.js', 'ts/src/parser.ts']));
    await expect(service.editContext('c1', { add: 'no/such/file.ts' })).rejects.toThrow(/no file no\/such\/file\.ts/);
  });

  it('one workspace per conversation; several workspaces stored', async () => {
    const a = await service.open(fixture('a'), { checkAllowedRoot: false, conversationId: 'c1' });
    const b = await service.open(fixture('b'), { checkAllowedRoot: false });
    expect((await service.list()).map((w) => w.id).sort()).toEqual([a.id, b.id].sort());
    expect((await service.context('c1')).workspace?.id).toBe(a.id);
    expect((await service.setActive('c1', b.id)).workspace?.id).toBe(b.id);
    expect((await service.setActive('c1', null)).workspace).toBeNull();
    await expect(service.selectForConversation('c1', 'anything')).rejects.toThrow(/no workspace; open one first/);
    expect(await service.forChat('c1', 'anything')).toBeNull(); // a chat with no workspace sends no context
    expect(service.remove(a.id)).toBe(true);
    expect((await service.list()).map((w) => w.id)).toEqual([b.id]);
  });
});
