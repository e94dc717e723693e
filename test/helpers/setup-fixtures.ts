import { fileURLToPath } from 'node:url';
import type { FakeModelSpec } from '../fixtures/fake-ollama';

/** A JSON HardwareReport for SWITCHBOARD_HARDWARE_FIXTURE: one 16 GB RTX 4060 Ti, 32 GB RAM. */
export const RTX_4060_TI_FIXTURE = fileURLToPath(new URL('../fixtures/hardware/report-rtx4060ti-16gb.json', import.meta.url));
/** 8 GB of RAM and no GPU. */
export const CPU_ONLY_FIXTURE = fileURLToPath(new URL('../fixtures/hardware/report-cpu-only-8gb.json', import.meta.url));

/** What the fake Ollama installs for a pulled catalog tag: its real family and size. */
export function catalogSpec(name: string, family: string, parameterSize: string, sizeBytes: number): FakeModelSpec {
  return { name, family, parameterSize, sizeBytes };
}

/** Pull-test timing: retries after 10 ms instead of seconds, and every progress line as an event. */
export const FAST_PULLS = { pullRetry: { baseDelayMs: 10, maxDelayMs: 50 }, pullProgressIntervalMs: 0 } as const;
