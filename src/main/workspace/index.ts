export { PathEscapeError, resolveInWorkspace, toWorkspaceRelative } from './safe-path';
export type { ContextPack, ContextPackFile, ContextProvider, ContextRequest } from './context-pack';
export { grammarNameFor, languageFor, parserFor } from './grammars';
export { WorkspaceService, MAX_WORKSPACE_FILES, type ChatWorkspaceContext, type OpenOptions, type WorkspaceServiceOptions } from './workspace-service';
export { DEFAULT_CONTEXT_BUDGET_BYTES, workspaceSettings, type WorkspaceSettingsState } from './workspace-settings';
export { TagExtractor, type Tag } from './tags';
export { languageOf } from './languages';
export { openWorkspaceDirectory } from './open-directory';
