export { openDatabase, schemaVersion, migrate, type Db } from './database';
export { MIGRATIONS, type Migration } from './migrations';
export { ConversationsRepo } from './conversations-repo';
export { MessagesRepo, type NewMessage, type FinishMessage } from './messages-repo';
export { SettingsRepo } from './settings-repo';
export { WriteBehind } from './write-behind';
export { checkpointOutsideRequests } from './wal-checkpointer';
export { ChatLibraryRepo } from './chat-library-repo';
