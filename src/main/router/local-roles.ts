import fs from 'node:fs';
import { LOCAL_CATALOG_RELATIVE_PATH } from '../models/fit';
import { findResource } from '../resources';
import type { LocalRoleSettings } from '../../shared/contract';
import type { RouterConfig } from './config';
import type { Intent } from './types';

type LocalModels = RouterConfig['localModels'];

/** Tags per role, best first, from resources/local-models.json (what the setup wizard recommends from). */
export type RoleCandidates = Record<'router' | 'validator' | 'chat' | 'coder', string[]>;

/** What the catalog says of a tag: its roles, quality per role (1–10) and download size. */
export interface CatalogRoleEntry {
  roles: string[];
  quality: Record<string, number>;
  sizeBytes: number;
}

/** Catalog entries by `ollama/<tag>`, for ranking installed models (issue #13). */
export function readRoleCatalog(file = findResource(LOCAL_CATALOG_RELATIVE_PATH)): Map<string, CatalogRoleEntry> {
  const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as { models: Array<{ tag: string } & CatalogRoleEntry> };
  return new Map(raw.models.map((m) => [catalogKey(`ollama/${m.tag}`), { roles: m.roles, quality: m.quality, sizeBytes: m.sizeBytes }]));
}

/**
 * The catalog's key for a model id on any Ollama host: `ollama/<name>:<tag>` (Ollama lists
 * `phi4-mini` as `phi4-mini:latest`; `ollama-gpu-box/qwen2.5:7b` is the same model as `ollama/qwen2.5:7b`).
 */
export function catalogKey(id: string): string {
  const name = id.slice(id.indexOf('/') + 1);
  const last = name.slice(name.lastIndexOf('/') + 1);
  return `ollama/${last.includes(':') ? name : `${name}:latest`}`;
}

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
export function resolveLocalModels(configured: LocalModels, installed: readonly string[], roles: RoleCandidates, chosen: LocalRoleSettings = {}): LocalModels {
  const has = new Set(installed);
  const pick = (role: keyof LocalRoleSettings, current: string, ...lists: string[][]): string => {
    // Settings' role (the wizard's pick) first, when it is installed.
    const own = asModelId(chosen[role]);
    if (own && has.has(own)) return own;
    if (has.has(current)) return current;
    for (const list of lists) for (const id of list) if (has.has(id)) return id;
    return current;
  };
  return {
    router: pick('router', configured.router, roles.router),
    validator: pick('validator', configured.validator, roles.validator, roles.coder),
    // Summaries want a capable general model; a small router model is the last resort.
    summariser: pick('chat', configured.summariser, roles.chat, roles.coder, roles.router),
  };
}

/** A role's model as Settings stores it (`qwen2.5-coder:14b` or `ollama/qwen2.5-coder:14b`) as a model id. */
export function asModelId(tag: string | undefined): string | undefined {
  if (!tag) return undefined;
  return tag.includes('/') && !tag.startsWith('hf.co/') ? tag : `ollama/${tag}`;
}

/** The roles a request can be answered in: code work goes to the coder, everything else to chat. */
export type AnswerRole = 'coder' | 'chat';

const CODE_INTENTS: ReadonlySet<Intent> = new Set(['code_generation', 'simple_edit', 'refactor', 'bug_fix', 'review', 'test_generation']);

/** Issue #13: Auto maps intents to roles (code → coder; questions, chat, docs … → chat). */
export function roleForIntent(intent: Intent): AnswerRole {
  return CODE_INTENTS.has(intent) ? 'coder' : 'chat';
}

export interface LocalRankInput {
  role: AnswerRole;
  /** Installed chat-capable local models (embedding models already left out). */
  installed: readonly string[];
  catalog: ReadonlyMap<string, CatalogRoleEntry>;
  /** Settings' role picks (the wizard's). */
  chosen: LocalRoleSettings;
  /** The configured local rung (`config.rungs.local`): proposed only when no installed model has the role. */
  defaults: readonly string[];
  /** The rung was set by the user (Settings or router.json), not the default: its installed models go first. */
  pinned?: boolean;
  /** Loads entirely on the GPU at the default context (the fit estimator); unknown: false. */
  fitsGpu(id: string): boolean;
  /** Already loaded in Ollama (/api/ps): no cold load. */
  loaded(id: string): boolean;
}

export interface LocalRanking {
  /** Installed models best first for the role, then (only when none has the role) the configured defaults. */
  ids: string[];
  /** Said to the user when no installed model has the role: who answers instead and what to pull. */
  note: string | null;
}

/** The roles whose models stand in best for each other. */
const RELATED_ROLES: Record<string, string[]> = { chat: ['coder'], coder: ['chat'] };

/**
 * The local models for a request's role, best first (issue #13): the model Settings names for the
 * role; then installed models of that role by catalog quality, those that fit on the GPU first;
 * then the other installed models (a chat model takes code and the reverse); a loaded model goes
 * first among otherwise equal ones. An uninstalled default is only proposed when no installed
 * model has the role, with the pull to make.
 */
export function rankLocalModels(input: LocalRankInput): LocalRanking {
  const { role } = input;
  const catalog = (id: string): CatalogRoleEntry | undefined => input.catalog.get(catalogKey(id));
  const own = asModelId(input.chosen[role]);
  const isOwn = (id: string): boolean => own !== undefined && catalogKey(id) === catalogKey(own);
  const hasRole = (id: string): boolean => catalog(id)?.roles.includes(role) ?? false;
  const rungIndex = (id: string): number => {
    const i = input.defaults.indexOf(id);
    return i === -1 ? Infinity : i;
  };
  // Off its role a model counts for less: a chat model takes code and the reverse (one point less),
  // a validator, router or embeddings model answers only when nothing closer is installed (three less).
  const quality = (id: string): number => {
    const q = catalog(id)?.quality ?? {};
    if (q[role] !== undefined) return q[role];
    const near = (RELATED_ROLES[role] ?? []).map((r) => q[r]).filter((v): v is number => v !== undefined);
    return near.length > 0 ? Math.max(...near) - 1 : Math.max(0, ...Object.values(q)) - 3;
  };
  const ranked = input.installed
    .map((id, index) => ({ id, index, own: isOwn(id), pin: input.pinned ? rungIndex(id) : Infinity, role: hasRole(id), fits: input.fitsGpu(id), quality: quality(id), loaded: input.loaded(id) }))
    .sort((a, b) => {
      if (a.own !== b.own) return a.own ? -1 : 1;
      if (a.pin !== b.pin) return a.pin - b.pin;
      if (a.role !== b.role) return a.role ? -1 : 1;
      if (a.fits !== b.fits) return a.fits ? -1 : 1;
      if (a.quality !== b.quality) return b.quality - a.quality;
      if (a.loaded !== b.loaded) return a.loaded ? -1 : 1;
      return a.index - b.index;
    })
    .map((x) => x.id);
  if (ranked.some((id) => hasRole(id) || isOwn(id) || (input.pinned && rungIndex(id) !== Infinity))) return { ids: ranked, note: null };
  const suggestion = suggestPull(input);
  const ids = [...ranked, ...input.defaults.filter((id) => !ranked.includes(id))];
  if (!suggestion) return { ids, note: null };
  const name = suggestion.slice('ollama/'.length);
  const note =
    ranked.length > 0
      ? `No ${role} model is installed, so ${ranked[0]} answers instead; for better ${role === 'coder' ? 'code' : 'answers'}, pull ${name} (ollama pull ${name}).`
      : `No local ${role} model is installed: pull ${name} (ollama pull ${name}).`;
  return { ids, note };
}

/** What to pull for the role: Settings' pick, else the best catalog model of the role no larger than the largest installed one. */
function suggestPull(input: LocalRankInput): string | undefined {
  const own = asModelId(input.chosen[input.role]);
  if (own) return own;
  const largest = Math.max(0, ...input.installed.map((id) => input.catalog.get(catalogKey(id))?.sizeBytes ?? 0));
  const ofRole = [...input.catalog.entries()].filter(([, e]) => e.roles.includes(input.role));
  const within = ofRole.filter(([, e]) => largest === 0 || e.sizeBytes <= largest * 1.1);
  const pool = within.length > 0 ? within : ofRole;
  const defaults = pool.find(([id]) => input.defaults.some((d) => catalogKey(d) === id));
  if (defaults && largest === 0) return defaults[0].replace(/:latest$/, '');
  const best = pool.sort(([, a], [, b]) => (b.quality[input.role] ?? 0) - (a.quality[input.role] ?? 0) || a.sizeBytes - b.sizeBytes)[0]?.[0];
  return best?.replace(/:latest$/, '');
}
