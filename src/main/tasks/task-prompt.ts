import type { ChatMessage } from '../runner';
import { topologicalOrder } from './graph-order';
import type { TaskGraph, TaskState } from './types';

/**
 * Each dependency's output is cut to this many characters in a dependent's prompt: seed 002's
 * context minimisation (executors get what they need, not the whole history). ~3k tokens each.
 */
export const MAX_DEPENDENCY_CHARS = 12_000;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}\n[… ${text.length - max} more characters cut]`;
}

const EXECUTOR_SYSTEM =
  'You carry out one task of a larger plan. Do exactly what the instructions ask, completely; do not plan other tasks. ' +
  'Your output goes to the tasks that build on it and into the final answer, so reply with the result itself, no preamble.';

/** The executor's prompt: the goal, its own instructions, and the outputs of the tasks it depends on. */
export function taskMessages(graph: Pick<TaskGraph, 'goal'>, task: TaskState, dependencies: readonly TaskState[]): ChatMessage[] {
  const parts = [`Overall goal: ${graph.goal}`, `Your task (${task.id}, ${task.kind}): ${task.title}\n${task.instructions}`];
  if (dependencies.length) {
    const outputs = dependencies.map((d) => `### ${d.id}: ${d.title}\n${clip(d.output ?? '', MAX_DEPENDENCY_CHARS)}`);
    parts.push(`Results of the tasks yours builds on:\n\n${outputs.join('\n\n')}`);
  }
  return [
    { role: 'system', content: EXECUTOR_SYSTEM },
    { role: 'user', content: parts.join('\n\n') },
  ];
}

const SYNTHESIS_SYSTEM =
  'You answer the user. Their request was split into tasks that other models carried out; their results follow. ' +
  'Write the complete answer to the request from them: combine, reconcile and fix; do not describe the tasks or the process.';

/** The final answer's prompt: the request and every task's result, dependencies first. */
export function synthesisMessages(graph: TaskGraph): ChatMessage[] {
  const results = topologicalOrder(graph.tasks).map((t) => `### ${t.id}: ${t.title}\n${clip(t.output ?? '', MAX_DEPENDENCY_CHARS)}`);
  return [
    { role: 'system', content: SYNTHESIS_SYSTEM },
    { role: 'user', content: `Request:\n${graph.request}\n\nGoal: ${graph.goal}\n\nTask results:\n\n${results.join('\n\n')}` },
  ];
}
