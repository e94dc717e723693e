/**
 * Turns Ollama's pull progress lines into one download: bytes done and total over every layer,
 * speed and time left. Ollama reports each layer (blob) by digest and downloads several at once,
 * so the totals are sums over the latest line of each digest. A resumed pull re-reports a layer
 * from the bytes already on disk, so the totals carry on instead of starting over.
 */
export interface ProgressLine {
  status?: string;
  digest?: string;
  total?: number;
  completed?: number;
}

/** Speed over the last few seconds: steady enough to read, quick to follow a change of network. */
const SPEED_WINDOW_MS = 5_000;

export class PullProgress {
  private readonly layers = new Map<string, { total: number; completed: number }>();
  private samples: Array<{ at: number; bytes: number }> = [];
  status = 'pulling manifest';

  apply(line: ProgressLine, now: number): void {
    if (line.status) this.status = line.status;
    if (line.digest && typeof line.total === 'number' && line.total > 0) {
      this.layers.set(line.digest, { total: line.total, completed: Math.min(line.completed ?? 0, line.total) });
    }
    this.samples.push({ at: now, bytes: this.completedBytes });
    while (this.samples.length > 2 && this.samples[0]!.at < now - SPEED_WINDOW_MS) this.samples.shift();
  }

  /** A new connection: speed starts over (the gap while reconnecting is not download time). */
  restartSpeed(): void {
    this.samples = [];
  }

  get completedBytes(): number {
    let sum = 0;
    for (const layer of this.layers.values()) sum += layer.completed;
    return sum;
  }

  get totalBytes(): number {
    let sum = 0;
    for (const layer of this.layers.values()) sum += layer.total;
    return sum;
  }

  /** Bytes per second over the window; 0 until two samples are apart in time. */
  bytesPerSecond(): number {
    const first = this.samples[0];
    const last = this.samples.at(-1);
    if (!first || !last || last.at <= first.at) return 0;
    return Math.max(0, ((last.bytes - first.bytes) * 1000) / (last.at - first.at));
  }

  /** Seconds left at the current speed; null while the speed is unknown. */
  etaSeconds(): number | null {
    const speed = this.bytesPerSecond();
    const left = this.totalBytes - this.completedBytes;
    if (left <= 0) return 0;
    return speed > 0 ? Math.ceil(left / speed) : null;
  }
}
