import { describe, expect, it } from 'vitest';
import { ggufBytes, llama32Header } from '../../../test/fixtures/gguf-bytes';
import { archFromModelInfo } from './arch-from-show';
import { GgufTruncated, parseGgufHeader } from './gguf-header';

describe('parseGgufHeader', () => {
  it('reads every value type, arrays and strings of a GGUF v3 header', () => {
    const bytes = ggufBytes({
      'general.architecture': { type: 'string', value: 'qwen2' },
      'qwen2.block_count': { type: 'u32', value: 28 },
      'qwen2.context_length': { type: 'u64', value: 32_768 },
      'qwen2.rope.freq_base': { type: 'f32', value: 1_000_000 },
      'qwen2.bias': { type: 'i32', value: -7 },
      'tokenizer.ggml.add_bos_token': { type: 'bool', value: false },
      'openelm.attention.head_count': { type: 'u32s', value: [12, 16, 20] },
      'tokenizer.ggml.merges': { type: 'strings', value: ['Ġ t', 'é ç'] },
    }, { tensorCount: 339 });
    const header = parseGgufHeader(bytes);
    expect(header).toMatchObject({ version: 3, tensorCount: 339, bytesRead: bytes.length });
    expect(header.metadata).toEqual({
      'general.architecture': 'qwen2',
      'qwen2.block_count': 28,
      'qwen2.context_length': 32_768,
      'qwen2.rope.freq_base': 1_000_000,
      'qwen2.bias': -7,
      'tokenizer.ggml.add_bos_token': false,
      'openelm.attention.head_count': [12, 16, 20],
      'tokenizer.ggml.merges': ['Ġ t', 'é ç'],
    });
  });

  it('says how much more to read when the bytes end inside the metadata', () => {
    const bytes = llama32Header(3_000);
    let error: unknown;
    try {
      parseGgufHeader(bytes.subarray(0, 4096));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GgufTruncated);
    expect((error as GgufTruncated).needBytes).toBeGreaterThan(4096);
    // Extra bytes after the metadata (the tensor infos) are not read.
    const full = parseGgufHeader(Buffer.concat([bytes, Buffer.alloc(1000, 0xff)]));
    expect(full.bytesRead).toBe(bytes.length);
    expect((full.metadata['tokenizer.ggml.tokens'] as unknown[]).length).toBe(3_000);
  });

  it('gives the estimator the architecture under /api/show model_info names', () => {
    const { metadata } = parseGgufHeader(llama32Header());
    expect(archFromModelInfo(metadata, 'hf.co/x/y:Q4_K_M')).toMatchObject({
      family: 'llama', layers: 28, embeddingLength: 3072, headCount: 24, headCountKv: 8, contextLength: 131_072, vocabSize: 128_256,
    });
  });

  it('refuses what is not GGUF, or a version it cannot read', () => {
    expect(() => parseGgufHeader(Buffer.from('<!DOCTYPE html><html>'))).toThrow(/not a GGUF file/);
    expect(() => parseGgufHeader(ggufBytes({}, { version: 1 }))).toThrow(/version 1 is not supported/);
  });
});
