import { readFile } from 'node:fs/promises';
import type { ModelInfo } from '../../shared/contract';
import { SwitchboardError } from '../../shared/errors';
import { CloudCatalogFile, PriceOverrides, type CloudModelEntry, type CloudTier, type ModelPrice } from './schema';

/** Where the catalog ships, relative to the app root (the repo root in development). */
export const CLOUD_CATALOG_RELATIVE_PATH = 'resources/cloud-models.json';

/**
 * The cloud models Switchboard knows: tier, context window, prices, free-tier limits, quality.
 * Immutable: overrides and refreshed prices produce a new catalog.
 */
export class ModelCatalog {
  private readonly byId: ReadonlyMap<string, CloudModelEntry>;

  constructor(readonly entries: readonly CloudModelEntry[]) {
    this.byId = new Map(entries.map((e) => [e.id, e]));
  }

  get(id: string): CloudModelEntry | undefined {
    return this.byId.get(id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  all(): CloudModelEntry[] {
    return [...this.entries];
  }

  byProvider(provider: string): CloudModelEntry[] {
    return this.entries.filter((e) => e.provider === provider);
  }

  priceOf(id: string): ModelPrice | null {
    return this.byId.get(id)?.price ?? null;
  }

  tierOf(id: string): CloudTier | null {
    return this.byId.get(id)?.tier ?? null;
  }

  /**
   * A catalog with Settings' overrides (`{ [modelId]: Partial<price> & { tier? } }`) merged over
   * each entry. Ids the catalog lacks are ignored: a price alone does not make a model.
   * Invalid overrides are refused with `invalid_input` naming the field.
   */
  withOverrides(overrides: unknown): ModelCatalog {
    const parsed = PriceOverrides.safeParse(overrides ?? {});
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw new SwitchboardError('invalid_input', `Model price override ${first?.path.join('.') ?? ''}: ${first?.message ?? 'invalid'}`);
    }
    return new ModelCatalog(
      this.entries.map((entry) => {
        const o = parsed.data[entry.id];
        if (!o) return entry;
        const { tier, ...price } = o;
        return { ...entry, tier: tier ?? entry.tier, price: { ...entry.price, ...stripUndefined(price) } };
      }),
    );
  }

  /** The entries as the contract's ModelInfo, for model lists. */
  toModelInfo(): ModelInfo[] {
    return this.entries.map((e) => ({
      id: e.id,
      provider: e.provider,
      name: e.id.slice(e.provider.length + 1),
      tier: e.tier,
      sizeBytes: null,
      family: null,
      parameterSize: null,
      quantization: null,
      contextLength: e.contextWindow,
    }));
  }
}

function stripUndefined<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function parseCloudCatalog(json: unknown): ModelCatalog {
  const result = CloudCatalogFile.safeParse(json);
  if (!result.success) {
    const first = result.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new SwitchboardError('invalid_input', `The cloud model catalog is not valid (${first}). Reinstall Switchboard to restore it.`, {
      details: { issues: result.error.issues.length },
    });
  }
  return new ModelCatalog(result.data.models);
}

export async function readCloudCatalog(filePath: string): Promise<ModelCatalog> {
  let text: string;
  try {
    text = await readFile(filePath, 'utf8');
  } catch (error) {
    throw new SwitchboardError('not_found', `The cloud model catalog ${filePath} could not be read. Reinstall Switchboard to restore it.`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SwitchboardError('invalid_input', `The cloud model catalog ${filePath} is not JSON. Reinstall Switchboard to restore it.`, { cause: error });
  }
  return parseCloudCatalog(json);
}
