import { prepareAttachment, type LibraryService } from '../library';
import type { DomainHandlers } from './dispatcher';

/** `library.*`: search, export and import of conversations; `attachments.prepare` (issue #14). */
export function buildLibraryHandlers(library: LibraryService): DomainHandlers<'library'> & DomainHandlers<'attachments'> {
  return {
    'attachments.prepare': (file) => prepareAttachment(file),
    'library.search': ({ query, limit }) => ({ hits: library.search(query, limit) }),
    'library.exportConversation': ({ id, format }) => library.exportConversation(id, format),
    'library.exportAll': () => library.exportAll(),
    'library.import': ({ content, filename }) => library.import(content, filename),
  };
}
