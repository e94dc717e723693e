import { z } from 'zod';
import { pullNameProblem } from '../pull-name';
import { call } from './define';
import {
  CalibrationSample,
  HardwareReport,
  KvCacheType,
  LibrarySearch,
  ModelFit,
  ModelsOverview,
  OllamaLifecycleStatus,
  PullJob,
  Recommendation,
} from './setup-types';

export * from './setup-types';

/** An Ollama tag as `ollama pull` takes it (`qwen2.5-coder:7b`, `hf.co/org/repo:Q4_K_M`); `ollama/` is allowed in front. */
export const OllamaTag = z
  .string()
  .trim()
  .min(1, 'name a model, for example qwen2.5-coder:7b')
  .max(200)
  // Issue #13: any tag or hf.co/{user}/{repo}:{quant}, with the precise problem when it is neither.
  .superRefine((value, ctx) => {
    const problem = pullNameProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** num_ctx per request: Ollama accepts any positive value; the estimator caps it at the trained context. */
const ContextLength = z.number().int().min(256, 'context is at least 256 tokens').max(1_048_576);

export const hardwareCalls = {
  /** The cached report; `refresh` probes again (GPUs, free VRAM and RAM change while the app runs). */
  'hardware.detect': call(z.object({ refresh: z.boolean().optional() }).strict(), HardwareReport),
};

export const localModelCalls = {
  'localModels.fit': call(
    z.object({ model: OllamaTag, contextLength: ContextLength.optional(), kvCacheType: KvCacheType.optional() }).strict(),
    ModelFit,
  ),
  'localModels.recommend': call(
    z.object({ kvCacheType: KvCacheType.optional(), preferResident: z.boolean().optional(), refresh: z.boolean().optional() }).strict(),
    Recommendation,
  ),
  /** Installed, loaded and catalog models, each with its fit at this context length and KV cache type. */
  'localModels.overview': call(
    z.object({ contextLength: ContextLength.optional(), kvCacheType: KvCacheType.optional() }).strict(),
    ModelsOverview,
  ),
  /** Starts a pull (or returns the one already running for that model); progress comes as events. */
  'localModels.pull': call(z.object({ model: OllamaTag }).strict(), PullJob),
  'localModels.cancelPull': call(z.object({ id: z.string().min(1).max(100) }).strict(), z.object({ cancelled: z.boolean() })),
  /** Suggestions from ollama.com/library for the pull box; offline or unreachable: `available: false`. */
  'localModels.searchLibrary': call(z.object({ query: z.string().trim().max(100) }).strict(), LibrarySearch),
  /** Pulls of this session, newest first (running ones and how the others ended). */
  'localModels.pulls': call(z.object({}).strict(), z.array(PullJob)),
  'localModels.delete': call(z.object({ model: OllamaTag }).strict(), z.object({ deleted: z.boolean() })),
  /** Reads /api/ps now and stores measured vs estimated memory for each loaded model. */
  'localModels.calibrate': call(
    z.object({ model: OllamaTag.optional() }).strict(),
    z.object({ recorded: z.array(CalibrationSample), calibration: z.number().nullable(), samples: z.number() }),
  ),
};

export const ollamaLifecycleCalls = {
  'ollama.status': call(z.object({}).strict(), OllamaLifecycleStatus),
  /** Starts `ollama serve` when it is installed here and not running; stopped again when Switchboard quits. */
  'ollama.start': call(z.object({}).strict(), OllamaLifecycleStatus),
};

export const localModelEvents = {
  /** A pull changed: progress (throttled), a retry after a dropped connection, or its end. */
  'localModels.pull': z.object({ job: PullJob }),
  /** The set of installed models changed (a pull finished, a model was deleted). */
  'localModels.changed': z.object({ model: z.string(), change: z.enum(['pulled', 'deleted']) }),
};
