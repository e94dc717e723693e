/**
 * Ollama model names: `qwen2.5-coder:7b`, `phi4-mini` (= `phi4-mini:latest`), `hf.co/org/repo:Q4_K_M`.
 * Ollama resolves them case-insensitively and adds `:latest` when no tag follows the last slash.
 */

/** Accepts Switchboard's model id form too: `ollama/qwen2.5-coder:7b` → `qwen2.5-coder:7b`. */
export function ollamaTag(name: string): string {
  const trimmed = name.trim();
  return trimmed.startsWith('ollama/') ? trimmed.slice('ollama/'.length) : trimmed;
}

/** The key two names that mean the same model share. */
export function modelKey(name: string): string {
  const n = ollamaTag(name).toLowerCase();
  const afterSlash = n.slice(n.lastIndexOf('/') + 1);
  return afterSlash.includes(':') ? n : `${n}:latest`;
}

export function sameModel(a: string, b: string): boolean {
  return modelKey(a) === modelKey(b);
}
