import fs from 'node:fs';
import path from 'node:path';
import type { Command } from '../command';
import { UsageError, writeJson } from '../command';

/** `export [--conversation ID] [--format json|markdown] [--out FILE]`: the Export of issue #14 from a terminal. */
export const exportCommand: Command = {
  name: 'export',
  usage: 'export [--conversation <id>] [--format json|markdown] [--out <file>]',
  summary: 'Write every conversation (or one) as the JSON archive Import reads, or one as Markdown; to stdout or --out.',
  options: { conversation: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } },
  async run({ values }, ctx) {
    const format = (values.format as string | undefined) ?? 'json';
    if (format !== 'json' && format !== 'markdown') throw new UsageError(`--format is json or markdown, not "${format}"`);
    const id = values.conversation as string | undefined;
    if (format === 'markdown' && !id) throw new UsageError('--format markdown needs --conversation <id> (Markdown holds one conversation)');
    const file = id ? await ctx.app().call('library.exportConversation', { id, format }) : await ctx.app().call('library.exportAll', {});
    const out = values.out as string | undefined;
    if (!out) {
      ctx.io.stdout.write(file.content);
      return 0;
    }
    fs.writeFileSync(path.resolve(out), file.content);
    ctx.io.stderr.write(`Wrote ${path.resolve(out)}\n`);
    return 0;
  },
};

/** `import <file> [--json]`: a Switchboard archive or ChatGPT's conversations.json, added beside what is there. */
export const importCommand: Command = {
  name: 'import',
  usage: 'import <file> [--json]',
  summary: "Import a Switchboard archive or ChatGPT's conversations.json as new conversations (nothing is replaced).",
  options: { json: { type: 'boolean' } },
  maxPositionals: 1,
  async run({ positionals, values }, ctx) {
    const file = positionals[0];
    if (!file) throw new UsageError('name the file to import');
    let content: string;
    try {
      content = fs.readFileSync(path.resolve(file), 'utf8');
    } catch (error) {
      throw new Error(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
    }
    const result = await ctx.app().call('library.import', { content, filename: path.basename(file) });
    if (values.json) {
      writeJson(ctx.io, result);
      return 0;
    }
    const n = result.conversationIds.length;
    ctx.io.stdout.write(`Imported ${n} conversation${n === 1 ? '' : 's'} (${result.messages} messages) from ${result.format === 'chatgpt' ? 'a ChatGPT export' : 'a Switchboard archive'}.\n`);
    for (const s of result.skipped) ctx.io.stdout.write(`left out: ${s}\n`);
    return 0;
  },
};
