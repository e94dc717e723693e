import fs from 'node:fs';
import { LOCAL_CATALOG_RELATIVE_PATH } from '../models/fit';
import { findResource } from '../resources';
import type { RouterConfig } from './config';

type LocalModels = RouterConfig['localModels'];

/** Tags per role, best first, from resources/local-models.json (what the setup wizard recommends from). */
export type RoleCandidates = Record<'router' | 'validator' | 'chat' | 'coder', string[]>;

export function readRoleCandidates(file = findResource(LOCAL_CATALOG_RELATIVE_PATH)): RoleCandidates {
  const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as { models: Array<{ tag: string; roles: string[]; quality: Record<string, number> }> };
  const byRole = (role: keyof RoleCandidates) =>
    raw.models
      .filter((m) => m.roles.includes(role))
      .sort((a, b) => (b.quality[role] ?? 0) - (a.quality[role] ?? 0))
      .map((m) => `ollama/${m.tag}`);
  return { router: byRole('router'), validator: byRole('validator'), chat: byRole('chat'), coder: byRole('coder') };
}

/**
 * The router, validator and summariser models to use: the configured one when it is installed,
 * else the best installed model for that role. The defaults name seed 002's models (phi3:mini,
 * deepseek-coder:6.7b), but the setup wizard may have installed phi4-mini or a larger coder
 * instead; without this the router model would sit unused.
 */
export function resolveLocalModels(configured: LocalModels, installed: readonly string[], roles: RoleCandidates): LocalModels {
  const has = new Set(installed);
  const pick = (current: string, ...lists: string[][]): string => {
    if (has.has(current)) return current;
    for (const list of lists) for (const id of list) if (has.has(id)) return id;
    return current;
  };
  return {
    router: pick(configured.router, roles.router),
    validator: pick(configured.validator, roles.validator, roles.coder),
    // Summaries want a capable general model; a small router model is the last resort.
    summariser: pick(configured.summariser, roles.chat, roles.coder, roles.router),
  };
}
