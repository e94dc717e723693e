import path from 'node:path';
import { startHeadlessServer, type HeadlessServer } from '../../src/main/headless/server';
import { createTestApp, type TestApp } from './app-harness';

export const RENDERER_DIR = path.resolve(import.meta.dirname, '../../out/renderer');

export interface HeadlessHarness {
  harness: TestApp;
  server: HeadlessServer;
  close(): Promise<void>;
}

/** A test app behind the real headless server, serving the built renderer. */
export async function startHeadless(options: Parameters<typeof createTestApp>[0] = {}): Promise<HeadlessHarness> {
  const harness = createTestApp(options);
  const server = await startHeadlessServer({ app: harness.app, port: 0, rendererDir: RENDERER_DIR });
  return {
    harness,
    server,
    async close() {
      await server.close();
      await harness.close();
    },
  };
}
