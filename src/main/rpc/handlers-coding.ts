import type { CodingService } from '../coding';
import type { DomainHandlers } from './dispatcher';

/** `coding.*`: the coding workspace's runs, their review and undo (issue #12). */
export function buildCodingHandlers(coding: CodingService): DomainHandlers<'coding'> {
  return {
    'coding.run': ({ root, task, model, allowCommands, allowDirty }) => coding.start({ root, task, model, allowCommands, allowDirty }),
    'coding.get': ({ runId }) => coding.get(runId),
    'coding.review': ({ runId, path, hunk, decision }) => coding.review(runId, path, decision, hunk),
    'coding.undo': ({ runId }) => coding.undo(runId),
    'coding.allowCommands': ({ root }) => coding.allowCommands(root),
  };
}
