import { describe, expect, it } from 'vitest';
import { buildModelInfo } from '../../../test/fixtures/ollama-protocol';
import { archFromModelInfo } from './arch-from-show';
import { modelKey, ollamaTag, sameModel } from './model-name';

// Qwen2.5-Coder-7B's GGUF keys as `ollama show --verbose` prints them (tokens elided by /api/show).
const QWEN25_CODER_7B = {
  'general.architecture': 'qwen2',
  'general.parameter_count': 7_615_616_512,
  'qwen2.block_count': 28,
  'qwen2.context_length': 32768,
  'qwen2.embedding_length': 3584,
  'qwen2.attention.head_count': 28,
  'qwen2.attention.head_count_kv': 4,
  'tokenizer.ggml.tokens': [],
};

describe('archFromModelInfo', () => {
  it('reads the GGUF keys Ollama returns', () => {
    expect(archFromModelInfo(QWEN25_CODER_7B, 'qwen2.5-coder:7b')).toEqual({
      family: 'qwen2',
      layers: 28,
      embeddingLength: 3584,
      headCount: 28,
      headCountKv: 4,
      contextLength: 32768,
      parameterCount: 7_615_616_512,
    });
  });

  it('fills what the metadata lacks from the catalog entry, and metadata wins where both speak', () => {
    const arch = archFromModelInfo(QWEN25_CODER_7B, 'qwen2.5-coder:7b', {
      family: 'qwen2', layers: 99, embeddingLength: 3584, headCount: 28, headCountKv: 4, contextLength: 32768, vocabSize: 152064, headDim: 128,
    });
    expect(arch).toMatchObject({ layers: 28, vocabSize: 152064, headDim: 128 });
  });

  it('takes per-layer head counts at their largest and vocab from the token list', () => {
    const arch = archFromModelInfo(
      { 'general.architecture': 'openelm', 'openelm.block_count': 3, 'openelm.context_length': 2048, 'openelm.embedding_length': 1280,
        'openelm.attention.head_count': [12, 16, 20], 'openelm.attention.head_count_kv': [3, 4, 5], 'tokenizer.ggml.tokens': ['a', 'b', 'c'] },
      'openelm',
    );
    expect(arch).toMatchObject({ headCount: 20, headCountKv: 5, vocabSize: 3 });
  });

  it("gives gemma3 llama.cpp's one-in-six global layers when it reports a sliding window", () => {
    const arch = archFromModelInfo(
      { 'general.architecture': 'gemma3', 'gemma3.block_count': 34, 'gemma3.context_length': 131072, 'gemma3.embedding_length': 2560,
        'gemma3.attention.head_count': 8, 'gemma3.attention.head_count_kv': 4, 'gemma3.attention.key_length': 256, 'gemma3.attention.sliding_window': 1024 },
      'gemma3:4b',
    );
    expect(arch).toMatchObject({ headDim: 256, slidingWindow: 1024, slidingWindowPattern: 6 });
  });

  it('reads what the fake Ollama serves', () => {
    const arch = archFromModelInfo(buildModelInfo({ name: 'llama3.2:3b', parameterSize: '3.2B' }), 'llama3.2:3b');
    expect(arch).toMatchObject({ family: 'llama', layers: 28, embeddingLength: 3072, headCount: 24, headCountKv: 8, contextLength: 131072 });
  });

  it('says which keys are missing', () => {
    expect(() => archFromModelInfo({}, 'mystery')).toThrow(/no general.architecture/);
    expect(() => archFromModelInfo({ 'general.architecture': 'llama', 'llama.block_count': 32 }, 'x')).toThrow(/llama.embedding_length.*llama.attention.head_count.*llama.context_length/);
  });
});

describe('model names', () => {
  it('resolves :latest, case and the ollama/ prefix as Ollama does', () => {
    expect(modelKey('phi4-mini')).toBe('phi4-mini:latest');
    expect(modelKey('hf.co/Org/Repo')).toBe('hf.co/org/repo:latest');
    expect(ollamaTag('ollama/qwen2.5-coder:7b')).toBe('qwen2.5-coder:7b');
    expect(sameModel('Phi4-Mini:latest', 'ollama/phi4-mini')).toBe(true);
    expect(sameModel('qwen3:8b', 'qwen3:14b')).toBe(false);
  });
});
