import fs from 'node:fs';
import type { Command } from '../command';
import { writeJson } from '../command';

/** `doctor [--json]`: is everything Switchboard needs in place? */
export const doctorCommand: Command = {
  name: 'doctor',
  usage: 'doctor [--json]',
  summary: 'Check Ollama, the OS keychain, the data directory, the database schema and the stored settings.',
  options: { json: { type: 'boolean' } },
  async run({ values }, ctx) {
    const app = ctx.app();
    const status = await app.services.system.status();
    // Stored settings that no longer validate: ignored (defaults in force) until saved again.
    const ignored = app.services.settings.ignoredValues().map((p) => ({ key: p.key, problem: p.message }));
    const dataDirWritable = await fs.promises.access(status.dataDir, fs.constants.W_OK).then(
      () => true,
      () => false,
    );
    const result = {
      ok: status.ollama.reachable && status.keychain.available && dataDirWritable && ignored.length === 0,
      dataDirWritable,
      version: status.version,
      dataDir: status.dataDir,
      schemaVersion: status.schemaVersion,
      ollama: status.ollama,
      keychain: status.keychain,
      settings: { ignored },
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
      if (ignored.length === 0) line(true, 'Stored settings valid');
      for (const i of ignored) line(false, `Setting ${i.key} ignored (its default is used): ${i.problem}. Save it again in Settings.`);
    }
    return result.ok ? 0 : 1;
  },
};
