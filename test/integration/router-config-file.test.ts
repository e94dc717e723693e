import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, tempDir, type TestApp } from '../helpers/app-harness';

let h: TestApp | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

describe('the router config file (router.json in the data folder)', () => {
  it('sits between the defaults and Settings, and is re-read when it changes', async () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, 'router.json'), JSON.stringify({ cost: { dailyBudgetUsd: 2, warnThresholdUsd: 1.5, stopThresholdUsd: 3 }, tiers: { refactor: ['local', 'groq'] } }));
    h = createTestApp({ dataDir, env: { OLLAMA_HOST: 'http://127.0.0.1:2' } });
    const config = h.app.services.routing.config();
    expect(config.cost).toMatchObject({ dailyBudgetUsd: 2, warnThresholdUsd: 1.5, stopThresholdUsd: 3 });
    expect(config.tiers.refactor).toEqual(['local', 'groq']);
    // Settings win over the file.
    h.app.services.settings.update({ router: { tiers: { refactor: ['groq', 'sonnet'] } } });
    expect(h.app.services.routing.config().tiers.refactor).toEqual(['groq', 'sonnet']);
    expect(h.app.services.routing.config().cost.dailyBudgetUsd).toBe(2);
  });

  it('a file that does not validate is ignored whole and the defaults apply', async () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, 'router.json'), JSON.stringify({ cost: { dailyBudgetUsd: 10, warnThresholdUsd: 20, stopThresholdUsd: 5 } }));
    h = createTestApp({ dataDir, env: { OLLAMA_HOST: 'http://127.0.0.1:2' } });
    expect(h.app.services.routing.config().cost.dailyBudgetUsd).toBe(5);
  });

  it('SWITCHBOARD_ROUTER_CONFIG points at another file', async () => {
    const file = path.join(tempDir(), 'team-router.json');
    fs.writeFileSync(file, JSON.stringify({ preference: 'quality' }));
    h = createTestApp({ env: { OLLAMA_HOST: 'http://127.0.0.1:2', SWITCHBOARD_ROUTER_CONFIG: file } });
    expect(h.app.services.routing.config().preference).toBe('quality');
  });
});
