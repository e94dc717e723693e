import { readFile } from 'node:fs/promises';
import { SwitchboardError } from '../../shared/errors';
import { silentLogger, type Logger } from '../logger';
import type { HardwareDeps } from './deps';
import { detectHardware } from './detect-hardware';
import { nodeHardwareDeps } from './node-deps';
import { HardwareReport } from './schema';

/**
 * Points detection at a JSON HardwareReport instead of the real probes, so the CLI and end-to-end
 * tests (and a bug report's "this is my machine") are deterministic. Documented in the README.
 */
export const HARDWARE_FIXTURE_ENV = 'SWITCHBOARD_HARDWARE_FIXTURE';

export interface HardwareServiceOptions {
  env: NodeJS.ProcessEnv;
  /** The probes' view of the outside world; default: this machine. Built only when first needed. */
  deps?: HardwareDeps;
  logger?: Logger;
}

/**
 * The machine's GPUs, RAM and disk. Probing runs nvidia-smi and friends (up to seconds), so the
 * report is cached for the app's lifetime; `refresh` probes again (free VRAM changes as models load).
 */
export class HardwareService {
  private cached: Promise<HardwareReport> | null = null;

  constructor(private readonly options: HardwareServiceOptions) {}

  detect(options: { refresh?: boolean } = {}): Promise<HardwareReport> {
    if (options.refresh || !this.cached) {
      const pending = this.probe();
      this.cached = pending;
      // A failure (only possible with a bad fixture) is not cached: the next call tries again.
      pending.catch(() => {
        if (this.cached === pending) this.cached = null;
      });
    }
    return this.cached;
  }

  private async probe(): Promise<HardwareReport> {
    const fixture = this.options.env[HARDWARE_FIXTURE_ENV]?.trim();
    if (fixture) return readHardwareFixture(fixture);
    const logger = this.options.logger ?? silentLogger;
    return detectHardware(this.options.deps ?? nodeHardwareDeps(logger));
  }
}

export async function readHardwareFixture(file: string): Promise<HardwareReport> {
  const fail = (what: string, cause?: unknown): never => {
    throw new SwitchboardError('invalid_input', `${HARDWARE_FIXTURE_ENV}=${file} ${what}. Point it at a JSON hardware report (the output of \`hardware --json\`) or unset it.`, { cause });
  };
  let text = '';
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    fail('cannot be read', error);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    fail('is not JSON', error);
  }
  const parsed = HardwareReport.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    fail(`is not a hardware report (${first})`);
  }
  return parsed.data!;
}
