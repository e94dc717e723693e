import type * as AnthropicSdk from '@anthropic-ai/sdk';

/**
 * `@anthropic-ai/sdk`, loaded on first use: it is the largest module Switchboard bundles and most
 * CLI commands (`route`, `doctor`, …) never call it, so it stays out of the start-up bundle (issue #17).
 */
export type AnthropicSdkModule = typeof AnthropicSdk;

let loaded: AnthropicSdkModule | null = null;
let loading: Promise<AnthropicSdkModule> | null = null;

export function loadAnthropicSdk(): Promise<AnthropicSdkModule> {
  loading ??= import('@anthropic-ai/sdk').then((mod) => (loaded = mod));
  return loading;
}

/** The SDK if something loaded it; null means no error can be one of its classes yet. */
export function loadedAnthropicSdk(): AnthropicSdkModule | null {
  return loaded;
}
