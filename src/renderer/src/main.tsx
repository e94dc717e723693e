import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import 'highlight.js/styles/github-dark.css';
import './styles.css';
import { App, bootstrap } from './App';
import { applyTheme, rememberedTheme } from './features/appearance/theme';
import { ElectronClient } from './client/electron-client';
import { HttpClient } from './client/http-client';
import { setClient, type SwitchboardClient } from './client/switchboard-client';
import { useChat } from './stores/chat-store';
import { useConversations } from './stores/conversations-store';
import { useDashboard } from './stores/dashboard-store';
import { useCouncil } from './stores/council-store';
import { useLocalModels } from './stores/local-models-store';
import { useRouting } from './stores/routing-store';
import { useRoutingSettings } from './stores/routing-settings-store';
import { useSetup } from './stores/setup-store';
import { useSettings } from './stores/settings-store';
import { useSystem } from './stores/system-store';
import { useCoding } from './features/coding/coding-store';
import { useTasks } from './stores/tasks-store';
import { useWorkspace } from './stores/workspace-store';

// The transport is chosen once: the preload bridge exists only inside the desktop app.
const client: SwitchboardClient = window.switchboard ? new ElectronClient(window.switchboard) : new HttpClient();
setClient(client);

client.on('chat.delta', (delta) => useChat.getState().applyDelta(delta));
client.on('chat.message', ({ message }) => useChat.getState().applyMessage(message));
client.on('chat.message', ({ message }) => useRouting.getState().applyMessage(message));
client.on('chat.message', ({ message }) => {
  if (message.role === 'assistant' && message.status !== 'streaming') useDashboard.getState().replyFinished();
});
client.on('chat.attempt', (attempt) => {
  useChat.getState().restartReply(attempt);
  useRouting.getState().applyAttempt(attempt);
});
client.on('chat.context', (sent) => useWorkspace.getState().applyContextSent(sent));
client.on('budget.changed', ({ budget }) => useRouting.getState().applyBudget(budget));
client.on('network.request', ({ entry }) => useRoutingSettings.getState().applyOutbound(entry));
client.on('council.started', ({ live }) => useCouncil.getState().applyStarted(live));
client.on('council.progress', ({ event }) => useCouncil.getState().applyProgress(event));
client.on('council.finished', ({ runId, record, error }) => useCouncil.getState().applyFinished(runId, record, error?.message ?? null));
client.on('tasks.updated', ({ graph }) => useTasks.getState().applyUpdated(graph));
client.on('coding.updated', ({ run }) => useCoding.getState().applyUpdated(run));
client.on('tasks.delta', (delta) => useTasks.getState().applyDelta(delta));
client.on('conversations.changed', (change) => {
  useConversations.getState().applyChanged(change);
  if (change.deletedId) useChat.getState().forget(change.deletedId);
});
client.on('settings.changed', ({ settings }) => useSettings.getState().applySettings(settings));
client.on('localModels.pull', ({ job }) => useLocalModels.getState().applyPull(job));
client.on('localModels.changed', () => {
  // A model was pulled or deleted: the Models page, the wizard and the chat's model picker all list them.
  if (useLocalModels.getState().overview) void useLocalModels.getState().load();
  if (useSetup.getState().recommendation) void useSetup.getState().loadRecommendation();
  void useSystem.getState().refresh();
});
client.onReconnect(() => {
  bootstrap();
  const selected = useConversations.getState().selectedId;
  if (selected) void useChat.getState().load(selected);
  // Council runs and task graphs went on in main while we were away: reload what is on screen.
  if (useCouncil.getState().poolTimeoutsMs) void useCouncil.getState().load();
  const graph = useTasks.getState().graph;
  if (graph) void useTasks.getState().open(graph.id);
});

applyTheme(rememberedTheme()); // the last run's theme for the first paint; Settings confirm it once loaded
bootstrap();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
