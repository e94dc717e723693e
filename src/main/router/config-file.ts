import fs from 'node:fs';
import type { Logger } from '../logger';
import { resolveRouterConfig, type RouterConfig } from './config';

/**
 * The router's config file (seed 002's configuration keys, as JSON in camelCase): `router.json` in
 * the data folder, or the path in SWITCHBOARD_ROUTER_CONFIG. It sits between the built-in defaults
 * and what Settings changes. Re-read when its modification time changes (checked at most once a
 * second); a file that does not parse or validate is reported once and ignored, never half-applied.
 */
export class RouterConfigFile {
  private checkedAt = -Infinity;
  private mtimeMs: number | null = null;
  private config: RouterConfig = resolveRouterConfig({});
  private lastError: string | null = null;

  constructor(
    readonly path: string,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** The defaults with the file applied (or the defaults alone when there is no valid file). */
  current(): RouterConfig {
    const now = this.now();
    if (now - this.checkedAt < 1000) return this.config;
    this.checkedAt = now;
    let mtimeMs: number | null = null;
    try {
      mtimeMs = fs.statSync(this.path).mtimeMs;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.report(`cannot be read: ${(error as Error).message}`);
    }
    if (mtimeMs === this.mtimeMs) return this.config;
    this.mtimeMs = mtimeMs;
    if (mtimeMs === null) {
      this.config = resolveRouterConfig({});
      this.lastError = null;
      return this.config;
    }
    try {
      this.config = resolveRouterConfig(JSON.parse(fs.readFileSync(this.path, 'utf8')));
      this.lastError = null;
      this.logger.info('router config file applied', { path: this.path });
    } catch (error) {
      this.config = resolveRouterConfig({});
      this.report(`is not valid, so the defaults are used: ${(error as Error).message}`);
    }
    return this.config;
  }

  /** Why the file is not in use, when it is not. */
  error(): string | null {
    return this.lastError;
  }

  private report(what: string): void {
    const message = `The router config file ${this.path} ${what}`;
    if (message !== this.lastError) this.logger.warn(message);
    this.lastError = message;
  }
}
