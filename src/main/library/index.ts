export { LibraryService, type LibraryServiceDeps } from './library-service';
export { toFtsQuery, snippetParts } from './conversation-search';
export { readImportFile } from './import-file';
export { ChatAttachments, fileBlock, type VisionModels } from './chat-attachments';
export { prepareAttachment, attachmentKindOf } from './attachment-reader';
