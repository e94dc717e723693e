export { LibraryService, type LibraryServiceDeps } from './library-service';
export { toFtsQuery, snippetParts } from './conversation-search';
export { readImportFile } from './import-file';
