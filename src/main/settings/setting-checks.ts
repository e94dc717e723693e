import type { z } from 'zod';
import { Settings } from '../../shared/contract';
import { PriceOverrides } from '../catalog';
import { ollamaHostProviderId } from '../providers/ollama';
import { resolveRouterConfig } from '../router/config';

/** A setting that does not validate: its key and what is wrong, naming the field (`router: …`). */
export interface SettingProblem {
  key: keyof Settings;
  message: string;
}

type Check = (value: never, all: Settings) => string[];

function zodIssues(key: string, error: z.ZodError): string[] {
  return error.issues.map((i) => `${[key, ...i.path.map(String)].join('.')}: ${i.message}`);
}

/** Each extra Ollama host's provider id (`ollama-<slug>`), or the problem with its name. */
function hostIds(hosts: Settings['ollamaHosts']): Array<{ id: string | null; problem: string | null }> {
  // Another key's value may not have validated yet (a stored one being read): no hosts then.
  if (!Array.isArray(hosts)) return [];
  return hosts.map((h) => {
    try {
      return { id: ollamaHostProviderId(h.name), problem: null };
    } catch (error) {
      return { id: null, problem: (error as Error).message };
    }
  });
}

/**
 * What the dedicated calls check beyond the shape in the contract, with their own schemas and
 * functions: `routing.updateConfig` (the router's schema over the defaults), the catalog's price
 * overrides, `providers.addOllamaHost` (a name that makes a provider id of its own) and
 * `providers.addCustom` (an id no extra Ollama host has).
 */
const DEEP_CHECKS: { [K in keyof Settings]?: (value: Settings[K], all: Settings) => string[] } = {
  router: (value) => {
    try {
      resolveRouterConfig(value);
      return [];
    } catch (error) {
      return [`router: ${(error as Error).message}`];
    }
  },
  priceOverrides: (value) => {
    const parsed = PriceOverrides.safeParse(value);
    return parsed.success ? [] : zodIssues('priceOverrides', parsed.error);
  },
  ollamaHosts: (value) => {
    const seen = new Set<string>();
    return hostIds(value).flatMap(({ id, problem }, i) => {
      if (problem !== null || id === null) return [`ollamaHosts.${i}.name: ${problem}`];
      if (seen.has(id)) return [`ollamaHosts.${i}.name: another Ollama host is already provider "${id}"`];
      seen.add(id);
      return [];
    });
  },
  customEndpoints: (value, all) => {
    const hosts = new Set(hostIds(all.ollamaHosts).map((h) => h.id));
    return value.flatMap((e, i) => (hosts.has(e.id) ? [`customEndpoints.${i}.id: "${e.id}" is an Ollama host's provider id; pick another`] : []));
  },
};

const SHAPE = Settings.shape as Record<string, z.ZodType>;

export function isSettingKey(key: string): key is keyof Settings {
  return Object.prototype.hasOwnProperty.call(SHAPE, key);
}

/**
 * The problems of `keys` in `settings` (a full settings object, defaults filled in): first the
 * contract's shape, then the dedicated calls' checks. Empty when every key validates.
 */
export function settingProblems(settings: Record<keyof Settings, unknown>, keys: Iterable<keyof Settings>): SettingProblem[] {
  const out: SettingProblem[] = [];
  for (const key of keys) {
    const shape = SHAPE[key]!.safeParse(settings[key]);
    if (!shape.success) {
      for (const message of zodIssues(key, shape.error)) out.push({ key, message });
      continue;
    }
    const check = DEEP_CHECKS[key] as Check | undefined;
    for (const message of check?.(shape.data as never, settings as Settings) ?? []) out.push({ key, message });
  }
  return out;
}
