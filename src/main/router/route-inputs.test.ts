import { describe, expect, it } from 'vitest';
import { isEmbeddingModel } from './route-inputs';

describe('isEmbeddingModel', () => {
  it('knows embedding models by name or BERT-family architecture, so Auto never chats with one', () => {
    expect(isEmbeddingModel({ name: 'nomic-embed-text:latest', family: 'nomic-bert' })).toBe(true);
    expect(isEmbeddingModel({ name: 'bge-m3:latest', family: 'bert' })).toBe(true);
    expect(isEmbeddingModel({ name: 'mxbai-embed-large:latest', family: null })).toBe(true);
    expect(isEmbeddingModel({ name: 'qwen2.5-coder:7b', family: 'qwen2' })).toBe(false);
    expect(isEmbeddingModel({ name: 'llama3.2:3b', family: 'llama' })).toBe(false);
  });
});
