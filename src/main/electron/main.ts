/**
 * The desktop app's main process: window, security settings and lifecycle. Everything else is the
 * plain-Node composition root in ../app.ts.
 */
import { BrowserWindow, app as electronApp, dialog, session, shell } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp, type App } from '../app';
import { APP_NAME, defaultDataDir } from '../data-dir';
import { createLogger } from '../logger';
import { installAppFetchGuard } from '../net';
import { registerIpc } from './ipc';
import { electronNativeBindings } from './natives';
import { allowPermission } from './permissions';

const logger = createLogger({ scope: 'electron' });
// Only a development run loads (and trusts) a dev server: a packaged app ignores the variable, so
// an environment cannot point the window, its IPC and its CSP at another origin (issue #16).
const devServerUrl = electronApp.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
const rendererFile = path.join(import.meta.dirname, '../renderer/index.html');

function isTrustedUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false; // not a URL at all: not ours
  }
  // Compare origins, not prefixes: http://localhost:5173.evil.example starts with the dev URL.
  if (devServerUrl) return parsed.origin === new URL(devServerUrl).origin;
  return parsed.protocol === 'file:' && path.resolve(fileURLToPath(parsed)) === path.resolve(rendererFile);
}

let mainWindow: BrowserWindow | null = null;
let services: App | null = null;
let disposeIpc: (() => void) | null = null;

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 860,
    minWidth: 820,
    minHeight: 560,
    title: 'Switchboard',
    show: false,
    webPreferences: {
      preload: path.join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      // macOS checks spelling with the OS's own dictionaries; elsewhere Chromium would download
      // Hunspell dictionaries from Google's CDN, past the fetch guard and offline mode (issue #16).
      spellcheck: process.platform === 'darwin',
    },
  });
  win.once('ready-to-show', () => win.show());
  // No navigation away from the app; links open in the OS browser.
  win.webContents.on('will-navigate', (event, url) => {
    if (!isTrustedUrl(url)) {
      event.preventDefault();
      if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    }
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  if (devServerUrl) void win.loadURL(devServerUrl);
  else void win.loadFile(rendererFile);
  return win;
}

// One name everywhere: Electron's userData folder and the CLI/headless default are the same folder
// (~/.config/Switchboard on Linux), and SWITCHBOARD_DATA_DIR moves all three together.
electronApp.setName(APP_NAME);

if (!electronApp.requestSingleInstanceLock()) {
  electronApp.quit();
} else {
  electronApp.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });

  electronApp.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });

  void electronApp.whenReady().then(() => {
    if (devServerUrl) {
      // The production build carries its CSP in index.html; the dev server needs Vite's HMR socket.
      session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
        callback({
          responseHeaders: {
            ...details.responseHeaders,
            'Content-Security-Policy': [`default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws: ${devServerUrl}`],
          },
        });
      });
    }
    session.defaultSession.setPermissionRequestHandler((_contents, permission, callback, details) => callback(allowPermission(permission, details.requestingUrl, isTrustedUrl)));
    session.defaultSession.setPermissionCheckHandler((_contents, permission, _origin, details) => allowPermission(permission, details.requestingUrl, isTrustedUrl));
    services = createApp({
      dataDir: defaultDataDir(),
      mode: 'electron',
      logger,
      background: true,
      native: electronNativeBindings(electronApp.getAppPath(), process.versions.electron),
      // Open workspace (issue #12): the system folder dialog, over the window when there is one.
      pickFolder: async () => {
        const options = { title: 'Open workspace', properties: ['openDirectory' as const] };
        const result = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
        return result.canceled ? null : (result.filePaths[0] ?? null);
      },
    });
    // The backstop for code that calls the global fetch directly (offline mode; src/main/net).
    void installAppFetchGuard(() => services?.services.network ?? null).catch((error: unknown) => logger.warn('the global fetch guard could not be installed', { error }));
    disposeIpc = registerIpc(services, isTrustedUrl, () => mainWindow?.webContents ?? null);
    mainWindow = createWindow();
    mainWindow.on('closed', () => (mainWindow = null));
    electronApp.on('activate', () => {
      if (!mainWindow) mainWindow = createWindow();
    });
  });

  let quitting = false;
  electronApp.on('before-quit', (event) => {
    if (quitting || !services) return;
    // Finish every streaming reply's row (as cancelled, text kept) before the database closes.
    event.preventDefault();
    quitting = true;
    disposeIpc?.();
    void services.dispose().finally(() => electronApp.quit());
  });

  electronApp.on('window-all-closed', () => {
    if (process.platform !== 'darwin') electronApp.quit();
  });
}
