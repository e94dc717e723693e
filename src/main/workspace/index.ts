export { PathEscapeError, resolveInWorkspace, toWorkspaceRelative } from './safe-path';
export type { ContextPack, ContextPackFile, ContextProvider, ContextRequest } from './context-pack';
