/**
 * `npm run headless -- [--port <p>] [--data-dir <dir>]`: the app without Electron, for a browser on
 * this machine or through an SSH tunnel (ssh -L 8787:127.0.0.1:8787 gpu-box).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createApp } from '../app';
import { defaultDataDir } from '../data-dir';
import { createLogger } from '../logger';
import { installAppFetchGuard } from '../net';
import { findResource } from '../resources';
import { limitHeapGrowth } from './heap-growth';
import { startHeadlessServer } from './server';

const here = path.dirname(fileURLToPath(import.meta.url));

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.SWITCHBOARD_PORT ?? '8787' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write('Usage: npm run headless -- [--port <port, 0 = any free>] [--data-dir <dir>]\n');
    return;
  }
  // Digits only: Number() would take "0x10", "1e3" or " 80 " (issue #16, item 7).
  const port = /^\d{1,5}$/.test(String(values.port)) ? Number(values.port) : NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number from 0 to 65535, got "${values.port}"`);
  // A server stays up under load: keep V8 from committing 4× its live heap (issue #17, heap-growth.ts).
  limitHeapGrowth();
  const logger = createLogger({ scope: 'headless' });
  const dataDir = values['data-dir'] ? path.resolve(values['data-dir']) : defaultDataDir();
  const app = createApp({ dataDir, mode: 'headless', logger, background: true });
  // The backstop for code that calls the global fetch directly (offline mode; src/main/net).
  await installAppFetchGuard(() => app.services.network).catch((error: unknown) => logger.warn('the global fetch guard could not be installed', { error }));
  const server = await startHeadlessServer({
    app,
    port,
    // The package root, from src/main/headless (tsx) or out/node (the build, issue #17).
    rendererDir: path.join(path.dirname(findResource('package.json', here)), 'out/renderer'),
  });
  const api = await app.services.api.status();
  process.stdout.write(
    `Switchboard (headless) is running.\n  Open: ${server.openUrl}\n  Data: ${dataDir}\n` +
      `  OpenAI-compatible API: ${api.baseUrl} (Authorization: Bearer ${api.token})\n`,
  );
  let closing = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (closing) return;
    closing = true;
    logger.info('shutting down', { signal });
    await server.close();
    await app.dispose();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`switchboard headless: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
