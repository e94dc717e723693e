import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { LocalRole } from '../../../shared/contract/setup-types';
import { SwitchboardError } from '../../../shared/errors';
import { ModelArch } from './types';

/** What a local model is for: one definition, in the shared contract. */
export { LocalRole };

export const LocalModelEntry = z
  .object({
    /** Ollama tag, as `ollama pull` takes it. */
    tag: z.string().min(1),
    roles: z.array(LocalRole).min(1),
    family: z.string().min(1),
    parameterCount: z.number().positive(),
    quantization: z.string().min(1),
    /** Download size of the tag (≈ the GGUF weights file the estimator sizes from). */
    sizeBytes: z.number().int().positive(),
    arch: ModelArch,
    /** 1–10 within each of the entry's roles. */
    quality: z.partialRecord(LocalRole, z.number().min(1).max(10)),
    notes: z.string().default(''),
  })
  .refine((m) => m.roles.every((r) => m.quality[r] !== undefined), {
    message: 'every role needs a quality score',
    path: ['quality'],
  });
export type LocalModelEntry = z.infer<typeof LocalModelEntry>;

export const LocalCatalog = z
  .object({
    version: z.literal(1),
    sources: z.array(z.string()).default([]),
    models: z.array(LocalModelEntry).min(1),
  })
  .refine((c) => new Set(c.models.map((m) => m.tag)).size === c.models.length, {
    message: 'tags must be unique',
    path: ['models'],
  });
export type LocalCatalog = z.infer<typeof LocalCatalog>;

/** Where the catalog ships, relative to the app root (the repo root in development). */
export const LOCAL_CATALOG_RELATIVE_PATH = 'resources/local-models.json';

export function parseLocalCatalog(json: unknown): LocalCatalog {
  const result = LocalCatalog.safeParse(json);
  if (!result.success) {
    const first = result.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new SwitchboardError('invalid_input', `The local model catalog is not valid (${first}). Reinstall Switchboard to restore it.`, {
      details: { issues: result.error.issues.length },
    });
  }
  return result.data;
}

export async function readLocalCatalog(filePath: string): Promise<LocalCatalog> {
  let text: string;
  try {
    text = await readFile(filePath, 'utf8');
  } catch (error) {
    throw new SwitchboardError('not_found', `The local model catalog ${filePath} could not be read. Reinstall Switchboard to restore it.`, {
      cause: error,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SwitchboardError('invalid_input', `The local model catalog ${filePath} is not JSON. Reinstall Switchboard to restore it.`, {
      cause: error,
    });
  }
  return parseLocalCatalog(json);
}

export function modelsForRole(catalog: LocalCatalog, role: LocalRole): LocalModelEntry[] {
  return catalog.models.filter((m) => m.roles.includes(role));
}

export function qualityFor(entry: LocalModelEntry, role: LocalRole): number {
  return entry.quality[role] ?? 0;
}

/** The entry's architecture with its parameter count, as the estimator wants it. */
export function archOf(entry: LocalModelEntry): ModelArch {
  return { ...entry.arch, parameterCount: entry.arch.parameterCount ?? entry.parameterCount };
}
