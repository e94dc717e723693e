import type * as OpenAISdk from 'openai';

/**
 * The `openai` SDK, loaded on first use: it is a large module that most CLI commands (`route`,
 * `doctor`, …) never call, so it stays out of the start-up bundle (issue #17).
 */
export type OpenAISdkModule = typeof OpenAISdk;

let loaded: OpenAISdkModule | null = null;
let loading: Promise<OpenAISdkModule> | null = null;

export function loadOpenAISdk(): Promise<OpenAISdkModule> {
  loading ??= import('openai').then((mod) => (loaded = mod));
  return loading;
}

/** The SDK if something loaded it; null means no error can be one of its classes yet. */
export function loadedOpenAISdk(): OpenAISdkModule | null {
  return loaded;
}
