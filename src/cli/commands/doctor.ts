import fs from 'node:fs';
import type { Command } from '../command';
import { writeJson } from '../command';

/** `doctor [--json]`: is everything Switchboard needs in place? */
export const doctorCommand: Command = {
  name: 'doctor',
  usage: 'doctor [--json]',
  summary: 'Check Ollama, the OS keychain, the data directory and the database schema.',
  options: { json: { type: 'boolean' } },
  async run({ values }, ctx) {
    const status = await ctx.app().services.system.status();
    const dataDirWritable = await fs.promises.access(status.dataDir, fs.constants.W_OK).then(
      () => true,
      () => false,
    );
    const result = {
      ok: status.ollama.reachable && status.keychain.available && dataDirWritable,
      dataDirWritable,
      version: status.version,
      dataDir: status.dataDir,
      schemaVersion: status.schemaVersion,
      ollama: status.ollama,
      keychain: status.keychain,
    };
    if (values.json) {
      writeJson(ctx.io, result);
    } else {
      const line = (ok: boolean, text: string) => ctx.io.stdout.write(`${ok ? '✓' : '✗'} ${text}\n`);
      line(status.ollama.reachable, status.ollama.reachable
        ? `Ollama ${status.ollama.version} at ${status.ollama.host}`
        : `Ollama not reachable at ${status.ollama.host}: ${status.ollama.error}`);
      line(status.keychain.available, status.keychain.available ? 'OS keychain usable' : `OS keychain unavailable: ${status.keychain.reason}`);
      line(dataDirWritable, `Data directory ${status.dataDir} (schema version ${status.schemaVersion})${dataDirWritable ? '' : ': not writable'}`);
    }
    return result.ok ? 0 : 1;
  },
};
