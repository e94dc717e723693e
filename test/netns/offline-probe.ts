// Run by test/integration/netns-offline.test.ts inside a network namespace that has only a loopback
// (`unshare -n`, then `ip link set lo up`). Records every socket the process opens, exercises the
// app offline and at an unconfigured start-up, and prints one JSON line with what it saw.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '../../src/main/app';
import { silentLogger } from '../../src/main/logger';
import { MemoryKeychain } from '../../src/main/secrets/keychain';
import { startFakeOllama } from '../fixtures/fake-ollama';

const connects: string[] = [];
const original = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
  const first = args[0];
  const o = (Array.isArray(first) ? first[0] : first) as { host?: string; port?: number; path?: string } | number;
  connects.push(typeof o === 'number' ? `${String(args[1] ?? 'localhost')}:${o}` : o.path ? `unix:${o.path}` : `${o.host ?? 'localhost'}:${o.port}`);
  return (original as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;

const out: Record<string, unknown> = {};
const ollama = await startFakeOllama({ models: [{ name: 'llama3.2:3b', parameterSize: '3.2B' }] });
ollama.setBehavior('llama3.2:3b', { reply: 'Local answer.' });

// 1. Start-up with nothing configured (background work on, as the desktop app and headless mode run).
{
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'netns-start-'));
  const before = connects.length;
  const app = createApp({ dataDir, mode: 'headless', logger: silentLogger, keychain: new MemoryKeychain(), env: { OLLAMA_HOST: ollama.url }, background: true });
  await new Promise((r) => setTimeout(r, 1_500));
  await app.dispose();
  out.startup = connects.slice(before);
}

// 2. Offline mode with a cloud key and endpoints (with keys) on a public and a private address. They
//    cannot be added as Local (providers.addCustom refuses Local off loopback / marked hosts), so this
//    checks the router's refusal and, through providers.test, the network guard's.
{
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'netns-offline-'));
  const app = createApp({
    dataDir, mode: 'headless', logger: silentLogger, keychain: new MemoryKeychain(),
    env: { OLLAMA_HOST: ollama.url, OPENROUTER_API_KEY: 'sk-or-netns-0123456789' },
  });
  const before = connects.length;
  await app.call('settings.update', { offlineMode: true });
  // Both with a key: offline, neither is contacted, so the key goes nowhere.
  await app.call('providers.addCustom', { id: 'public-box', name: 'Public box', baseUrl: 'http://203.0.113.5:8080/v1', tier: 'paid', apiKey: 'sk-public-box-0123456789' });
  await app.call('providers.addCustom', { id: 'lan-box', name: 'LAN box', baseUrl: 'http://192.168.77.9:8080/v1', tier: 'paid', apiKey: 'sk-lan-box-0123456789' });
  const conversation = await app.call('conversations.create', {});
  const results: Record<string, unknown> = {};
  for (const model of ['ollama/llama3.2:3b', 'openrouter/anthropic/claude-sonnet-5.5', 'public-box/any-model', 'lan-box/any-model']) {
    try {
      const sent = await app.call('chat.send', { conversationId: conversation.id, content: `Hello from ${model}`, model });
      await app.services.chat.idle();
      const reply = app.services.messages.get(sent.assistantMessage.id)!;
      results[model] = { status: reply.status, content: reply.content, code: reply.error?.code ?? null };
    } catch (error) {
      results[model] = { refused: (error as { code?: string }).code ?? String(error) };
    }
  }
  for (const id of ['public-box', 'lan-box', 'openrouter']) {
    results[`test:${id}`] = await app.call('providers.test', { id }).catch((e: { code?: string }) => ({ refused: e.code }));
  }
  out.offline = { results, connects: connects.slice(before), refusedHosts: app.services.network.history(200).filter((e) => !e.allowed).map((e) => e.host) };
  await app.dispose();
}
await ollama.close();
process.stdout.write(`NETNS_RESULT ${JSON.stringify(out)}\n`);
process.exit(0);
