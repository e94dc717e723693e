import type { InstallGuidance } from '../../shared/contract';

/** Ollama's official download page, for every platform. */
export const OLLAMA_DOWNLOAD_URL = 'https://ollama.com/download';

/** How to install Ollama here, after ollama.com/download's own instructions for each OS. */
export function installGuidance(platform: string, earlierInstall: string | null = null): InstallGuidance {
  const leftover = earlierInstall
    ? [`${earlierInstall} exists (models from an earlier install are kept there), but no ollama program was found: install it again to use them.`]
    : [];
  switch (platform) {
    case 'linux':
      return {
        platform,
        summary: 'Install Ollama with its official install script, then come back here.',
        command: 'curl -fsSL https://ollama.com/install.sh | sh',
        steps: [
          'Run the command in a terminal; it asks for your password to install to /usr/local.',
          'It sets up a systemd service that starts Ollama; without systemd, Switchboard can start it for you.',
          ...leftover,
        ],
        url: OLLAMA_DOWNLOAD_URL,
      };
    case 'darwin':
      return {
        platform,
        summary: 'Download Ollama for macOS, move it to Applications and open it once.',
        command: null,
        steps: ['Download Ollama.dmg from the page below.', 'Drag Ollama to Applications and open it; it installs the ollama command and runs in the menu bar.', ...leftover],
        url: OLLAMA_DOWNLOAD_URL,
      };
    case 'win32':
      return {
        platform,
        summary: 'Download and run the Ollama installer for Windows.',
        command: null,
        steps: ['Download OllamaSetup.exe from the page below and run it (no administrator rights needed).', 'Ollama starts in the notification area after installing.', ...leftover],
        url: OLLAMA_DOWNLOAD_URL,
      };
    default:
      return {
        platform,
        summary: 'Install Ollama for your system from its download page.',
        command: null,
        steps: leftover,
        url: OLLAMA_DOWNLOAD_URL,
      };
  }
}
