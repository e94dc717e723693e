import { errorText, type HardwareDeps } from './deps';

function joinPath(platform: string, ...parts: string[]): string {
  const sep = platform === 'win32' ? '\\' : '/';
  return parts.map((p, i) => (i === 0 ? p.replace(/[\\/]+$/, '') : p.replace(/^[\\/]+|[\\/]+$/g, ''))).join(sep);
}

/** Where Ollama keeps blobs: `OLLAMA_MODELS`, else `~/.ollama/models` (Ollama's envconfig.Models default). */
export function ollamaModelsDir(deps: Pick<HardwareDeps, 'env' | 'homedir' | 'platform'>): string {
  const fromEnv = deps.env.OLLAMA_MODELS?.trim();
  return fromEnv ? fromEnv : joinPath(deps.platform, deps.homedir(), '.ollama', 'models');
}

/**
 * Free bytes where the next `ollama pull` will land. The models folder may not exist before the
 * first pull, so we fall back to the home folder, which is on the same disk in a default install.
 */
export async function probeDisk(deps: HardwareDeps): Promise<{ disk: { path: string; freeBytes: number | null }; notes: string[] }> {
  const candidates = [ollamaModelsDir(deps), deps.homedir()];
  const failures: string[] = [];
  for (const path of candidates) {
    try {
      const stats = await deps.statfs(path);
      return { disk: { path, freeBytes: stats.bavail * stats.bsize }, notes: [] };
    } catch (error) {
      failures.push(`${path}: ${errorText(error)}`);
    }
  }
  return {
    disk: { path: candidates[0] ?? '', freeBytes: null },
    notes: [`Disk: free space unknown, because neither the Ollama models folder nor the home folder could be read (${failures.join('; ')}).`],
  };
}
