import { useCallback, useEffect, useState } from 'react';
import { Banner } from './components/Banner';
import { ChatView } from './features/chat/ChatView';
import { CouncilView } from './features/council/CouncilView';
import { DashboardView } from './features/dashboard/DashboardView';
import { Sidebar } from './features/chat/Sidebar';
import { useNewChatShortcut } from './features/chat/use-new-chat-shortcut';
import { ModelsView } from './features/models/ModelsView';
import { SetupWizard } from './features/setup/SetupWizard';
import { SettingsView } from './features/settings/SettingsView';
import { TasksView } from './features/tasks/TasksView';
import { CodingView } from './features/coding/CodingView';
import { applyTheme, rememberSidebarHidden, rememberedSidebarHidden } from './features/appearance/theme';
import { useConversations } from './stores/conversations-store';
import { useRouting } from './stores/routing-store';
import { useSettings } from './stores/settings-store';
import { useSystem } from './stores/system-store';

type View = 'chat' | 'council' | 'tasks' | 'code' | 'models' | 'dashboard' | 'settings' | 'setup';
const VIEWS: { id: View; label: string }[] = [
  { id: 'chat', label: 'Chat' },
  { id: 'council', label: 'Council' },
  { id: 'tasks', label: 'Tasks' },
  { id: 'code', label: 'Code' },
  { id: 'models', label: 'Models' },
  { id: 'dashboard', label: 'Dashboard' },
  { id: 'settings', label: 'Settings' },
];

function viewFromHash(): View {
  const id = window.location.hash.replace(/^#\/?/, '');
  // `setup` is not in the nav: first run opens it, and Settings can open it again.
  return VIEWS.some((v) => v.id === id) || id === 'setup' ? (id as View) : 'chat';
}

export function App() {
  const [view, setView] = useState<View>(viewFromHash);
  const { error: conversationsError } = useConversations();
  const { status } = useSystem();
  const { settings } = useSettings();
  // Issue #14: the sidebar can be hidden (small windows), and the theme follows Settings → Appearance.
  const [sidebarHidden, setSidebarHidden] = useState(rememberedSidebarHidden);
  const showSidebar = (show: boolean) => {
    rememberSidebarHidden(!show);
    setSidebarHidden(!show);
  };
  const theme = settings?.theme;
  useEffect(() => {
    if (theme) applyTheme(theme);
  }, [theme]);

  useEffect(() => {
    const onHash = () => setView(viewFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const go = (next: View) => {
    window.history.pushState(null, '', `#/${next}`);
    setView(next);
  };
  useNewChatShortcut(useCallback(() => {
    if (viewFromHash() !== 'chat') {
      window.history.pushState(null, '', '#/chat');
      setView('chat');
    }
  }, []));

  if (view === 'setup' || settings?.setupCompleted === false) return <SetupWizard onFinish={() => go('chat')} />;

  return (
    <div className={`app${sidebarHidden ? ' sidebar-hidden' : ''}`}>
      {/* The main area comes first in the DOM (and the tab order): the chat's skip link and model picker are a Tab away (issue #14). */}
      <main className="main">
        {conversationsError ? <Banner tone="error" title="Something went wrong">{conversationsError}</Banner> : null}
        {view === 'chat' ? <ChatView onOpenSettings={() => go('settings')} /> : view === 'models' ? <ModelsView /> : view === 'dashboard' ? <DashboardView /> : view === 'council' ? <CouncilView /> : view === 'tasks' ? <TasksView /> : view === 'code' ? <CodingView /> : <SettingsView />}
      </main>
      {sidebarHidden ? (
        <button type="button" className="sidebar-toggle show" aria-label="Show sidebar" title="Show sidebar" onClick={() => showSidebar(true)}>
          <span aria-hidden="true">☰</span>
        </button>
      ) : null}
      <aside className="left" hidden={sidebarHidden}>
        <div className="brand-row">
          <div className="brand">Switchboard</div>
          <button type="button" className="sidebar-toggle" aria-label="Hide sidebar" title="Hide sidebar" onClick={() => showSidebar(false)}>
            <span aria-hidden="true">«</span>
          </button>
        </div>
        <nav className="views" aria-label="Views">
          {VIEWS.map((v) => (
            <button key={v.id} type="button" className={view === v.id ? 'active' : ''} aria-current={view === v.id ? 'page' : undefined} onClick={() => go(v.id)}>
              {v.label}
            </button>
          ))}
        </nav>
        <Sidebar onNavigateChat={() => go('chat')} onShowSidebar={() => showSidebar(true)} />
        {status ? <div className="version muted small">v{status.version} · {status.mode}</div> : null}
      </aside>
    </div>
  );
}

/** Loads what every view needs once at start. */
export function bootstrap(): void {
  void useConversations.getState().load();
  void useSystem.getState().refresh();
  void useSettings.getState().load();
  void useRouting.getState().loadBudget();
}
