/**
 * What `ollama pull` accepts, checked before Ollama is asked (issue #13, "any model"): a library or
 * registry name `[host/][namespace/]model[:tag]` (Ollama's name rules, types/model/name.go: parts of
 * letters, digits, `_`, `.` and `-`, a tag up to 128 characters) or a Hugging Face GGUF repository
 * `hf.co/{user}/{repo}[:{quant}]`. Returns what is wrong in words that say how to fix it, or null.
 */
const PART = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const HF_EXAMPLE = 'hf.co/bartowski/Llama-3.2-3B-Instruct-GGUF:Q4_K_M';

export function pullNameProblem(input: string): string | null {
  const name = input.trim().replace(/^ollama\//, '');
  if (!name) return 'Type a model name, for example qwen2.5-coder:7b or ' + HF_EXAMPLE + '.';
  if (/^https?:\/\//i.test(name)) {
    const hf = /^https?:\/\/(?:www\.)?(?:huggingface\.co|hf\.co)\/([^/\s]+)\/([^/\s?#]+)/i.exec(name);
    return hf ? `Use the Hugging Face repository as hf.co/${hf[1]}/${hf[2]} (add :Q4_K_M or another quantization), not a web address.` : 'Type the model name (qwen2.5-coder:7b), not a web address.';
  }
  if (/\s/.test(name)) return 'A model name has no spaces, for example qwen2.5-coder:7b.';
  const colon = name.lastIndexOf(':');
  const path = colon === -1 ? name : name.slice(0, colon);
  const tag = colon === -1 ? null : name.slice(colon + 1);
  if (tag !== null && !TAG.test(tag)) return tag ? `"${tag}" is not a valid tag: use letters, digits, ".", "_" or "-" (for example 7b or Q4_K_M).` : 'Nothing follows the ":": add a tag such as 7b, or leave the ":" out for latest.';
  const parts = path.split('/');
  const hf = /^(hf\.co|huggingface\.co)$/i.test(parts[0] ?? '');
  if (hf) {
    if (parts.length !== 3 || !parts[1] || !parts[2]) return `A Hugging Face model is hf.co/{user}/{repo}:{quantization}, for example ${HF_EXAMPLE}.`;
    if (!PART.test(parts[1]) || !PART.test(parts[2])) return `"${parts[1]}/${parts[2]}" is not a Hugging Face repository name: letters, digits, ".", "_" and "-" only.`;
    return null;
  }
  if (parts.length > 3) return 'Too many "/": a model is name:tag, namespace/name:tag or host/namespace/name:tag.';
  const bad = parts.find((p) => !PART.test(p));
  if (bad !== undefined) return bad ? `"${bad}" cannot be part of a model name: use letters, digits, ".", "_" or "-", starting with a letter or digit.` : 'A model name has an empty part between "/".';
  return null;
}
