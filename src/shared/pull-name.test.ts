import { describe, expect, it } from 'vitest';
import { pullNameProblem } from './pull-name';

describe('pullNameProblem', () => {
  it.each(['qwen2.5-coder:7b', 'llama3.2', 'ollama/gemma3:12b', 'library/mistral:7b-instruct-q4_K_M', 'registry.example.com/team/coder:v1', 'hf.co/bartowski/Llama-3.2-3B-Instruct-GGUF:Q4_K_M', 'hf.co/TheBloke/Mistral-7B-GGUF', 'huggingface.co/unsloth/gemma-3-4b-it-GGUF:Q8_0'])('accepts %s', (name) => {
    expect(pullNameProblem(name)).toBeNull();
  });

  it.each([
    ['', /Type a model name/],
    ['qwen coder', /no spaces/],
    ['https://huggingface.co/bartowski/Llama-3.2-3B-Instruct-GGUF', /hf\.co\/bartowski\/Llama-3\.2-3B-Instruct-GGUF .*not a web address/],
    ['https://ollama.com/library/qwen3', /not a web address/],
    ['hf.co/bartowski', /hf\.co\/\{user\}\/\{repo\}:\{quantization\}/],
    ['hf.co/a/b/c:Q4', /hf\.co\/\{user\}\/\{repo\}/],
    ['qwen2.5:', /Nothing follows the ":"/],
    ['qwen2.5:7b!', /not a valid tag/],
    ['-bad:1b', /cannot be part of a model name/],
    ['a/b/c/d', /Too many "\/"/],
  ])('refuses %j with what to do', (name, message) => {
    expect(pullNameProblem(name)).toMatch(message);
  });
});
