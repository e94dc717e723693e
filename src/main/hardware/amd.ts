import { GIB, PROBE_TIMEOUT_MS, errorText, isNotInstalled, type HardwareDeps, type ProbeResult } from './deps';
import type { GpuInfo } from './schema';

/**
 * AMD on Linux. systeminformation reads AMD VRAM from lspci's BAR size on Linux (256 MiB on most
 * Radeons), which is why we ask rocm-smi, and failing that the amdgpu driver's sysfs counters.
 *
 * rocm-smi JSON (keys are `cardN`, sizes are bytes as strings, key casing changed across ROCm
 * releases: "Card series" before 6.x, "Card Series" after), as posted in marimo-team/marimo#9237
 * and mudler/LocalAI#7761:
 *   {"card0": {"VRAM Total Memory (B)": "21458059264", "VRAM Total Used Memory (B)": "27856896",
 *              "Card Series": "Radeon RX 7900 XT", "Card Model": "0x744c", ...}}
 */
export const ROCM_SMI_ARGS = ['--showmeminfo', 'vram', '--showproductname', '--json'] as const;

/** Ollama skips AMD devices with less than this: they are APUs carving a little RAM (discover/gpu.go IGPUMemLimit). */
export const AMD_IGPU_LIMIT_BYTES = 1 * GIB;

const AMD_PCI_VENDOR = '0x1002';

function field(record: Record<string, unknown>, ...names: string[]): string | undefined {
  const wanted = names.map((n) => n.toLowerCase());
  for (const [key, value] of Object.entries(record)) {
    if (wanted.includes(key.toLowerCase()) && typeof value === 'string' && value !== 'N/A') return value;
  }
  return undefined;
}

function bytes(value: string | undefined): number | null {
  if (value === undefined) return null;
  const n = Number(value.trim());
  return Number.isFinite(n) && n >= 0 ? n : null;
}

function amdGpu(index: number, name: string, total: number, used: number | null, source: string): GpuInfo {
  const gpu: GpuInfo = {
    index,
    vendor: 'amd',
    name,
    vramBytes: total,
    freeVramBytes: used === null ? null : Math.max(0, total - used),
    source,
  };
  if (total < AMD_IGPU_LIMIT_BYTES) gpu.integrated = true;
  return gpu;
}

/** rocm-smi may print warnings before the JSON; we read from the first brace to the last. */
export function parseRocmSmiJson(stdout: string): ProbeResult {
  const start = stdout.indexOf('{');
  const end = stdout.lastIndexOf('}');
  if (start < 0 || end <= start) {
    return { gpus: [], notes: ['AMD GPU: unknown, because rocm-smi printed no JSON.'] };
  }
  let data: unknown;
  try {
    data = JSON.parse(stdout.slice(start, end + 1));
  } catch (error) {
    return { gpus: [], notes: [`AMD GPU: unknown, because rocm-smi printed JSON we could not parse (${errorText(error)}).`] };
  }
  const gpus: GpuInfo[] = [];
  const notes: string[] = [];
  const cards = Object.entries(data as Record<string, unknown>).filter(([key]) => /^card\d+$/i.test(key));
  cards.sort(([a], [b]) => Number(a.slice(4)) - Number(b.slice(4)));
  for (const [key, value] of cards) {
    const record = (value ?? {}) as Record<string, unknown>;
    const total = bytes(field(record, 'VRAM Total Memory (B)'));
    if (total === null) {
      notes.push(`AMD GPU ${key}: unknown VRAM, because rocm-smi did not report "VRAM Total Memory (B)".`);
      continue;
    }
    const used = bytes(field(record, 'VRAM Total Used Memory (B)'));
    const name = field(record, 'Card Series', 'Device Name', 'Card Model') ?? `AMD GPU (${key})`;
    gpus.push(amdGpu(gpus.length, name, total, used, 'rocm-smi'));
  }
  if (cards.length === 0) notes.push('AMD GPU: none listed by rocm-smi.');
  return { gpus, notes };
}

/** amdgpu exposes byte counters per card: /sys/class/drm/cardN/device/mem_info_vram_{total,used}. */
export async function probeAmdSysfs(deps: HardwareDeps, root = '/sys/class/drm'): Promise<ProbeResult> {
  let entries: string[];
  try {
    entries = await deps.readdir(root);
  } catch (error) {
    // No DRM class at all (containers, WSL) means no amdgpu devices, not an unknown.
    if (isNotInstalled(error)) return { gpus: [], notes: [] };
    return { gpus: [], notes: [`AMD GPU: unknown, because ${root} could not be read (${errorText(error)}).`] };
  }
  const cards = entries.filter((e) => /^card\d+$/.test(e)).sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)));
  const gpus: GpuInfo[] = [];
  const notes: string[] = [];
  for (const card of cards) {
    const dir = `${root}/${card}/device`;
    const vendor = await deps.readFile(`${dir}/vendor`).then((v) => v.trim().toLowerCase(), () => '');
    if (vendor !== AMD_PCI_VENDOR) continue;
    const total = bytes(await deps.readFile(`${dir}/mem_info_vram_total`).catch(() => undefined));
    if (total === null) {
      notes.push(`AMD GPU ${card}: unknown VRAM, because ${dir}/mem_info_vram_total is missing (amdgpu driver not loaded?).`);
      continue;
    }
    const used = bytes(await deps.readFile(`${dir}/mem_info_vram_used`).catch(() => undefined));
    const device = (await deps.readFile(`${dir}/device`).catch(() => '')).trim();
    const name = device ? `AMD GPU ${device} (${card})` : `AMD GPU (${card})`;
    gpus.push(amdGpu(gpus.length, name, total, used, 'sysfs'));
  }
  return { gpus, notes };
}

/** rocm-smi first (it knows product names); the sysfs counters when ROCm is not installed. */
export async function probeAmdLinux(deps: HardwareDeps): Promise<ProbeResult> {
  const notes: string[] = [];
  try {
    const result = await deps.run('rocm-smi', ROCM_SMI_ARGS, { timeoutMs: PROBE_TIMEOUT_MS });
    if (result.code === 0) {
      const parsed = parseRocmSmiJson(result.stdout);
      if (parsed.gpus.length > 0) return parsed;
      notes.push(...parsed.notes);
    } else {
      const why = result.code === null ? `did not answer within ${PROBE_TIMEOUT_MS / 1000} s` : `exited with code ${result.code}`;
      notes.push(`AMD GPU: rocm-smi ${why}; reading the amdgpu sysfs counters instead.`);
    }
  } catch (error) {
    if (!isNotInstalled(error)) notes.push(`AMD GPU: rocm-smi could not be started (${errorText(error)}); reading sysfs instead.`);
  }
  const sysfs = await probeAmdSysfs(deps);
  // Notes from rocm-smi only matter when sysfs did not find the card either.
  return { gpus: sysfs.gpus, notes: sysfs.gpus.length > 0 ? sysfs.notes : [...notes, ...sysfs.notes] };
}
