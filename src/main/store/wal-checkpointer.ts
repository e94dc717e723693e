import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../logger';
import type { Db } from './database';

/**
 * WAL checkpoints off the event loop (issue #17). SQLite's automatic checkpoint runs inside whichever
 * commit crosses 1,000 WAL pages, copying them all to the database file: a stall of tens of
 * milliseconds inside that request. A worker thread with its own connection copies the pages every
 * `everyMs` (PASSIVE: it never waits for a reader or writer, so requests never wait for it), so the
 * automatic checkpoint, which stays on, finds almost nothing left to copy. It has to stay on: only a
 * checkpoint by the writer itself lets the WAL start over while writes keep coming (a checkpoint
 * from another connection always finds newer frames, and the WAL then grows without bound).
 */
export function checkpointOutsideRequests(db: Db, options: { everyMs?: number; nativeBinding?: string; logger?: Logger } = {}): () => Promise<void> {
  if (db.memory) return async () => undefined;
  let worker: Worker;
  try {
    const module = createRequire(import.meta.url).resolve('better-sqlite3');
    worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module, file: db.name, nativeBinding: options.nativeBinding ?? null, everyMs: options.everyMs ?? 100 } });
  } catch (error) {
    options.logger?.warn('WAL checkpoints stay inside commits: the checkpoint worker did not start', { error });
    return async () => undefined;
  }
  worker.unref();
  worker.on('message', (message: { error?: string }) => options.logger?.warn('a WAL checkpoint failed', { error: message.error }));
  worker.on('error', (error) => options.logger?.warn('the WAL checkpoint worker stopped; checkpoints happen inside commits again', { error }));
  return async () => {
    await worker.terminate();
  };
}

// CommonJS, evaluated in the worker: its own connection, a PASSIVE checkpoint on a timer.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file, workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {});
db.pragma('busy_timeout = 0');
setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (error) {
    // Busy (a writer holds the lock) is normal: the next tick tries again. Anything else is reported.
    if (error.code !== 'SQLITE_BUSY' && error.code !== 'SQLITE_LOCKED') parentPort.postMessage({ error: String(error) });
  }
}, workerData.everyMs);
`;
