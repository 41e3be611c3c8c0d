/**
 * Progress of a run: on a terminal, one bar redrawn in place; otherwise (a log, a CI job, a cluster pod) a line
 * every `intervalSeconds`. The ETA counts only samples that had to be generated: samples read back from the store
 * take no time and would make it optimistic.
 */

/** Where progress goes: a stream, whether it is a terminal, and a clock (milliseconds). */
export interface ProgressOutput {
  write(text: string): void;
  readonly tty: boolean;
  now(): number;
}

/** Formats seconds as "42s", "3m07s" or "2h05m". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** The estimated seconds left: remaining samples at the rate observed so far, or null before the first one. */
export function eta(done: number, total: number, elapsedSeconds: number): number | null {
  if (done <= 0) return null;
  return ((total - done) * elapsedSeconds) / done;
}

/** One progress line: "[#####-----] 50% 120/240 samples, 1m02s elapsed, ETA 1m02s (pyramid [steps=4])". */
export function progressLine(done: number, total: number, elapsedSeconds: number, detail: string, width = 24): string {
  const fraction = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(fraction * width);
  const left = eta(done, total, elapsedSeconds);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.floor(fraction * 100)}% ${done}/${total} samples, ${formatDuration(elapsedSeconds)} elapsed, ETA ${left === null ? '?' : formatDuration(left)}${detail ? ` (${detail})` : ''}`;
}

/** Progress over `total` samples to generate. */
export class Progress {
  private done = 0;
  private readonly started: number;
  private lastLine: number;

  constructor(
    private readonly total: number,
    private readonly output: ProgressOutput,
    private readonly intervalSeconds = 10,
  ) {
    this.started = output.now();
    this.lastLine = this.started;
  }

  /** Counts `n` more generated samples; redraws the bar, or writes a line when the interval has passed. */
  advance(n: number, detail: string): void {
    this.done += n;
    const now = this.output.now();
    const line = progressLine(this.done, this.total, (now - this.started) / 1000, detail);
    if (this.output.tty) {
      this.output.write(`\r${line}\x1b[K`);
    } else if (now - this.lastLine >= this.intervalSeconds * 1000 || this.done >= this.total) {
      this.lastLine = now;
      this.output.write(`${line}\n`);
    }
  }

  /** Ends the bar's line on a terminal. */
  finish(): void {
    if (this.output.tty && this.done > 0) this.output.write('\n');
  }
}

/** Progress output on stderr with the wall clock. */
export function stderrProgress(): ProgressOutput {
  return { write: (t) => process.stderr.write(t), tty: process.stderr.isTTY === true, now: () => performance.now() };
}
