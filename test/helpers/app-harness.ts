import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp, type App, type AppOptions } from '../../src/main/app';
import { silentLogger } from '../../src/main/logger';
import { MemoryKeychain } from '../../src/main/secrets/keychain';

export function tempDir(prefix = 'switchboard-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * A router.json that switches the difficulty dial (issue #11) off, for tests written for seed 002's
 * length rules (`SWITCHBOARD_ROUTER_CONFIG`): the dial itself is tested in src/main/router/difficulty.
 */
export function lengthRulesRouterConfig(): string {
  const file = path.join(tempDir(), 'router.json');
  fs.writeFileSync(file, JSON.stringify({ difficulty: { enabled: false } }));
  return file;
}

export interface TestApp {
  app: App;
  dataDir: string;
  /** Closes this app and opens a new one on the same data dir (a restart). */
  restart(): Promise<App>;
  close(): Promise<void>;
}

/** An app on a fresh data dir, pointed at a fake Ollama, with an in-memory keychain unless given one. */
export function createTestApp(options: { ollamaUrl?: string; env?: NodeJS.ProcessEnv } & Partial<AppOptions> = {}): TestApp {
  const dataDir = options.dataDir ?? tempDir();
  const env: NodeJS.ProcessEnv = { ...(options.ollamaUrl ? { OLLAMA_HOST: options.ollamaUrl } : {}), ...options.env };
  const make = () =>
    createApp({
      mode: 'headless',
      logger: silentLogger,
      keychain: new MemoryKeychain(),
      ...options,
      dataDir,
      env,
    });
  const harness: TestApp = {
    app: make(),
    dataDir,
    async restart() {
      await harness.app.dispose();
      harness.app = make();
      return harness.app;
    },
    async close() {
      await harness.app.dispose();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}

/** Polls until the predicate holds (event-driven code under test; no timing assertions). */
export async function waitFor<T>(predicate: () => T | undefined | null | false, what = 'condition', timeoutMs = 10_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = predicate();
    if (value) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * A loopback URL with nothing listening: a connection is refused (ECONNREFUSED), as for an Ollama
 * that is not running. Port 2 is below 1024 and outside the ephemeral range, so no test server
 * (they all listen on port 0) can take it; and unlike port 1 it is not on the Fetch standard's
 * list of "bad ports", which Node's fetch refuses with its own error before connecting.
 */
export const NOTHING_LISTENING_URL = 'http://127.0.0.1:2';

/**
 * A loopback port that was free a moment ago (bound, then released), for a server the test starts
 * on it next. Another process may bind it in between; where a test needs "nothing listening",
 * use NOTHING_LISTENING_URL instead.
 */
export async function closedPort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
