import { CodingWorkspaceSettingsInput, type CodingWorkspaceSettings } from '../../../../shared/contract';

export const STEP_NAMES = ['build', 'test', 'lint'] as const;
export type StepKey = (typeof STEP_NAMES)[number];
export const STEP_LABELS: Record<StepKey, string> = { build: 'Build', test: 'Test', lint: 'Lint' };

/** The form as typed: text fields, empty meaning "the default" (or "the detected commands"). */
export interface ValidationFormState {
  commands: Record<StepKey, string>;
  /** The step is switched off in this workspace (stored as no commands). */
  skip: Record<StepKey, boolean>;
  maxRetries: string;
  timeouts: Record<StepKey, string>;
  commandsAllowed: boolean;
}

/** A field of the form, for its error: `commands.test`, `maxRetries`, `timeouts.build`. */
export type FieldKey = `commands.${StepKey}` | 'maxRetries' | `timeouts.${StepKey}`;

export function formFromSettings(s: CodingWorkspaceSettings): ValidationFormState {
  const text = (n: number | null) => (n === null ? '' : String(n));
  return {
    commands: { build: (s.commands.build ?? []).join('\n'), test: (s.commands.test ?? []).join('\n'), lint: (s.commands.lint ?? []).join('\n') },
    skip: { build: s.commands.build?.length === 0, test: s.commands.test?.length === 0, lint: s.commands.lint?.length === 0 },
    maxRetries: text(s.maxRetries),
    timeouts: { build: text(s.timeoutsSec.build), test: text(s.timeoutsSec.test), lint: text(s.timeoutsSec.lint) },
    commandsAllowed: s.commandsAllowed,
  };
}

/**
 * The form as the call's input, or each bad field's message in words ("Test timeout must be at
 * least 1 second"): the contract's own schema decides, so the form and the server agree.
 */
export function inputFromForm(root: string, f: ValidationFormState): { input: CodingWorkspaceSettingsInput } | { errors: Partial<Record<FieldKey, string>> } {
  const errors: Partial<Record<FieldKey, string>> = {};
  const num = (text: string, key: FieldKey, what: string): number | null => {
    const t = text.trim();
    if (t === '') return null;
    const n = Number(t);
    if (!Number.isFinite(n)) errors[key] = `${what} must be a number (or empty for the default).`;
    return n;
  };
  const lines = (step: StepKey): string[] | null => {
    if (f.skip[step]) return [];
    const all = f.commands[step].split('\n').map((l) => l.trim()).filter(Boolean);
    return all.length ? all : null;
  };
  const candidate = {
    root,
    commands: { build: lines('build'), test: lines('test'), lint: lines('lint') },
    maxRetries: num(f.maxRetries, 'maxRetries', 'Retries'),
    timeoutsSec: {
      build: num(f.timeouts.build, 'timeouts.build', 'Build timeout'),
      test: num(f.timeouts.test, 'timeouts.test', 'Test timeout'),
      lint: num(f.timeouts.lint, 'timeouts.lint', 'Lint timeout'),
    },
    commandsAllowed: f.commandsAllowed,
  };
  if (Object.keys(errors).length) return { errors };
  const parsed = CodingWorkspaceSettingsInput.safeParse(candidate);
  if (parsed.success) return { input: parsed.data };
  for (const issue of parsed.error.issues) {
    const [head, step] = issue.path as [string, StepKey | undefined];
    if (head === 'maxRetries') errors.maxRetries ??= `Retries ${issue.message}.`;
    else if (head === 'timeoutsSec' && step) errors[`timeouts.${step}`] ??= `${STEP_LABELS[step]} timeout ${issue.message}.`;
    else if (head === 'commands' && step) errors[`commands.${step}`] ??= `${STEP_LABELS[step]} commands: ${issue.message}.`;
  }
  if (Object.keys(errors).length === 0) errors.maxRetries = parsed.error.issues.map((i) => i.message).join('; ');
  return { errors };
}
