import { defineConfig } from 'electron-vite';
import path from 'node:path';
import type { Plugin } from 'vite';
import { rendererConfig } from './vite.renderer.config';

/**
 * The packaged renderer is loaded from file://, where response headers cannot carry a CSP, so the
 * production build gets it as a meta tag. (Headless mode sends its CSP as a header; dev mode sets
 * one in main for Vite's HMR socket.)
 */
function cspMetaTag(): Plugin {
  const policy = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return {
    name: 'switchboard-csp-meta',
    apply: 'build',
    transformIndexHtml: (html) => html.replace('<head>', `<head>\n    <meta http-equiv="Content-Security-Policy" content="${policy}" />`),
  };
}

export default defineConfig({
  main: {
    build: {
      rolldownOptions: { input: { index: path.resolve(import.meta.dirname, 'src/main/electron/main.ts') } },
    },
  },
  preload: {
    build: {
      // A sandboxed preload is CommonJS with its dependencies (zod) bundled in.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: path.resolve(import.meta.dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    ...rendererConfig,
    plugins: [...(rendererConfig.plugins ?? []), cspMetaTag()],
    build: {
      ...rendererConfig.build,
      rolldownOptions: { input: path.resolve(import.meta.dirname, 'src/renderer/index.html') },
    },
  },
});
