export { PathEscapeError, resolveInWorkspace, toWorkspaceRelative } from './safe-path';
export type { ContextPack, ContextPackFile, ContextProvider, ContextRequest } from './context-pack';
export { grammarNameFor, languageFor, parserFor } from './grammars';
