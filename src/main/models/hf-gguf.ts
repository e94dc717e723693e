import { SwitchboardError } from '../../shared/errors';
import { parseGgufHeader, GgufTruncated, type GgufValue } from './gguf-header';

export const HF_BASE_URL = 'https://huggingface.co';
const FIRST_READ_BYTES = 1 << 20;
/** GGUF metadata with a 256k-token vocabulary runs to ~8 MB; past this the file is not worth reading. */
const MAX_READ_BYTES = 64 << 20;
const TIMEOUT_MS = 15_000;

export interface HfGgufHeader {
  /** The repository file the quantization names. */
  file: string;
  sizeBytes: number;
  /** The GGUF key/values, under the same names Ollama's /api/show `model_info` uses. */
  modelInfo: Record<string, GgufValue>;
}

/** `hf.co/{user}/{repo}:{quant}` (or huggingface.co/…) split, or null for any other name. */
export function parseHfName(model: string): { user: string; repo: string; quant: string | null } | null {
  const m = /^(?:ollama\/)?(?:hf\.co|huggingface\.co)\/([^/:\s]+)\/([^/:\s]+)(?::([^/:\s]+))?$/i.exec(model.trim());
  return m ? { user: m[1]!, repo: m[2]!, quant: m[3] ?? null } : null;
}

/**
 * Reads a Hugging Face GGUF's metadata before it is pulled: the repository's file list
 * (GET /api/models/{user}/{repo}, `siblings[].rfilename`), the `.gguf` whose name holds the
 * quantization, then the first bytes of that file (GET /{user}/{repo}/resolve/main/{file} with a
 * Range header, read further while the metadata goes on). The size is the Content-Range total.
 */
export async function readHfGgufHeader(model: string, d: { fetch: typeof globalThis.fetch; baseUrl?: string }): Promise<HfGgufHeader> {
  const name = parseHfName(model);
  if (!name) throw new SwitchboardError('invalid_input', `${model} is not a Hugging Face model (hf.co/{user}/{repo}:{quantization}).`);
  const base = (d.baseUrl ?? HF_BASE_URL).replace(/\/+$/, '');
  const repoPath = `${encodeURIComponent(name.user)}/${encodeURIComponent(name.repo)}`;
  const info = await d.fetch(`${base}/api/models/${repoPath}`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  if (info.status === 404 || info.status === 401) {
    throw new SwitchboardError('model_not_found', `Hugging Face has no public repository ${name.user}/${name.repo} (HTTP ${info.status}): check the spelling on huggingface.co.`);
  }
  if (!info.ok) throw new SwitchboardError('unavailable', `Hugging Face answered HTTP ${info.status} for ${name.user}/${name.repo}.`);
  const body = (await info.json()) as { siblings?: { rfilename?: unknown }[] };
  const ggufs = (body.siblings ?? []).map((s) => s.rfilename).filter((f): f is string => typeof f === 'string' && /\.gguf$/i.test(f));
  if (ggufs.length === 0) throw new SwitchboardError('invalid_input', `${name.user}/${name.repo} has no .gguf file, so Ollama cannot pull it.`);
  const quant = name.quant ?? 'Q4_K_M';
  // Split GGUFs (-00001-of-00003.gguf) carry the metadata in their first part.
  const matches = ggufs.filter((f) => f.toLowerCase().includes(quant.toLowerCase()) && !/-0000[2-9]-of-|-000[1-9]\d-of-/.test(f));
  const file = matches.sort((a, b) => a.length - b.length)[0];
  if (!file) {
    const quants = [...new Set(ggufs.map((f) => /((?:I?Q\d[\w]*)|BF16|F16|F32)\.gguf$/i.exec(f.replace(/-\d{5}-of-\d{5}/, ''))?.[1]).filter(Boolean))];
    throw new SwitchboardError('invalid_input', `${name.user}/${name.repo} has no ${quant} file${quants.length ? `; it has ${quants.join(', ')}` : ''}.`);
  }
  const url = `${base}/${repoPath}/resolve/main/${file.split('/').map(encodeURIComponent).join('/')}`;
  let want = FIRST_READ_BYTES;
  for (;;) {
    const res = await d.fetch(url, { headers: { Range: `bytes=0-${want - 1}` }, signal: AbortSignal.timeout(TIMEOUT_MS) });
    if (res.status !== 206 && res.status !== 200) throw new SwitchboardError('unavailable', `Hugging Face answered HTTP ${res.status} for ${file}.`);
    const total = sizeOf(res);
    // A server that ignores Range sends the whole file: read only what is needed.
    const bytes = await readPrefix(res, want);
    try {
      const header = parseGgufHeader(bytes);
      if (total === null) throw new SwitchboardError('unavailable', `Hugging Face did not say how large ${file} is.`);
      return { file, sizeBytes: total, modelInfo: header.metadata };
    } catch (error) {
      if (!(error instanceof GgufTruncated) || bytes.byteLength < want || want >= MAX_READ_BYTES) {
        if (error instanceof SwitchboardError) throw error;
        throw new SwitchboardError('invalid_input', `${file} could not be read as GGUF: ${(error as Error).message}.`);
      }
      want = Math.min(MAX_READ_BYTES, Math.max(error.needBytes, want * 2));
    }
  }
}

function sizeOf(res: Response): number | null {
  const range = /\/(\d+)\s*$/.exec(res.headers.get('content-range') ?? '');
  if (range) return Number(range[1]);
  const length = Number(res.headers.get('content-length'));
  return res.status === 200 && length > 0 ? length : null;
}

async function readPrefix(res: Response, max: number): Promise<Uint8Array> {
  if (!res.body) return new Uint8Array(await res.arrayBuffer()).subarray(0, max);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < max) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  await reader.cancel().catch(() => undefined);
  const out = new Uint8Array(Math.min(size, max));
  let at = 0;
  for (const c of chunks) {
    const part = c.subarray(0, out.byteLength - at);
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}
