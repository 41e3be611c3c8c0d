/**
 * The harness's side of the PyTorch worker (python/pyramid_bench_worker.py): starts the Python process, speaks
 * its framed binary protocol (a u32 header length, a JSON header, then raw little-endian tensor bytes at 8-byte
 * aligned offsets), and turns every way a worker can fail (cannot start, refuses to load, crashes, hangs, is
 * killed) into one error that names the package, the call and the tail of the worker's stderr.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import path from 'node:path';
import { HARNESS_ROOT } from '../../core/harness-root.ts';

/** A tensor crossing the boundary. */
export interface WireTensor {
  readonly name: string;
  readonly type: 'float32' | 'int64';
  readonly data: Float32Array | BigInt64Array;
  readonly dims: readonly number[];
  /**
   * The tensor stays the same over many calls (history, the previous cascade stage): the worker keeps it, on its
   * device, and later calls passing the same array send only its id. Callers never modify such an array.
   */
  readonly reuse?: boolean;
}

/** How to start a worker. */
export interface WorkerOptions {
  /** Python interpreter that can import torch. */
  readonly python: string;
  /** What the worker serves, for messages (e.g. the package folder). */
  readonly label: string;
}

/** Thrown for every worker failure; `kind` says which (start, load, crash, hang, call). */
export class TorchWorkerError extends Error {
  constructor(
    message: string,
    readonly kind: string,
  ) {
    super(message);
    this.name = 'TorchWorkerError';
  }
}

interface Pending {
  readonly what: string;
  readonly resolve: (reply: Reply) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/** A decoded response: its header fields and its tensors. */
export interface Reply {
  readonly header: Record<string, unknown>;
  readonly tensors: readonly { readonly name: string; readonly data: Float32Array; readonly dims: number[] }[];
}

const ALIGN = 8;
/** Tensors a worker keeps for reuse (least recently used first out): a pyramid stage's history levels and more. */
const KEPT_TENSORS = 24;
const STDERR_KEEP = 4000;

/** The worker script shipped with the harness. */
export const WORKER_SCRIPT = path.join(HARNESS_ROOT, 'python', 'pyramid_bench_worker.py');

function pad(n: number): number {
  return (ALIGN - (n % ALIGN)) % ALIGN;
}

/** One worker process serving the components of one model set. */
export class TorchWorker {
  private readonly pending: Pending[] = [];
  private received: Buffer[] = [];
  private receivedBytes = 0;
  /** The frame being received: its total bytes once its header is in (0 before), and its header. */
  private frameBytes = 0;
  private frameHeader: Record<string, unknown> | undefined;
  private stderrTail = '';
  private failure: TorchWorkerError | undefined;
  private closing = false;
  /** Ids of arrays the worker keeps, and the ids it holds now, least recently used first. */
  private readonly keptIds = new WeakMap<object, number>();
  private readonly kept = new Set<number>();
  private nextId = 1;
  /** Network calls answered, and the summed seconds the worker measured inside them (device synchronised). */
  readonly stats = { calls: 0, workerSeconds: 0 };

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly options: WorkerOptions,
  ) {
    child.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-STDERR_KEEP);
    });
    child.stdin.on('error', () => {
      // a closed pipe shows up as the exit below, with the worker's own account in stderr
    });
    child.on('error', (error) =>
      this.fail(
        new TorchWorkerError(`${options.label}: cannot start the PyTorch worker with '${options.python}': ${error.message}`, 'start'),
      ),
    );
    child.on('exit', (code, signal) => {
      if (this.closing && this.pending.length === 0) return;
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      this.fail(new TorchWorkerError(`${options.label}: the PyTorch worker (pid ${child.pid}) ${how}`, 'crash'));
    });
    this.idle();
  }

  /** Starts a worker; `python` must exist (a missing interpreter is reported by the first request). */
  static start(options: WorkerOptions): TorchWorker {
    const child = spawn(options.python, [WORKER_SCRIPT, String(process.pid)], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1' },
    });
    return new TorchWorker(child, options);
  }

  /** The worker's process id. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  private tail(): string {
    const lines = this.stderrTail.trimEnd().split('\n').slice(-12).join('\n');
    return lines ? `\nworker stderr (last lines):\n${lines}` : '\n(the worker wrote nothing to stderr)';
  }

  private busy(): void {
    this.child.ref();
    (this.child.stdout as unknown as { ref(): void }).ref();
    (this.child.stderr as unknown as { ref(): void }).ref();
  }

  /** Lets the harness exit while the worker waits for work (the worker then sees its input close and exits). */
  private idle(): void {
    this.child.unref();
    (this.child.stdout as unknown as { unref(): void }).unref();
    (this.child.stderr as unknown as { unref(): void }).unref();
    (this.child.stdin as unknown as { unref?(): void }).unref?.();
  }

  private fail(error: TorchWorkerError): void {
    if (this.failure) return;
    this.failure = error;
    const pending = this.pending.splice(0);
    for (const p of pending) {
      clearTimeout(p.timer);
      p.reject(new TorchWorkerError(`${error.message} during ${p.what}${this.tail()}`, error.kind));
    }
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    this.idle();
  }

  private onData(chunk: Buffer): void {
    this.received.push(chunk);
    this.receivedBytes += chunk.length;
    for (;;) {
      if (this.frameBytes === 0) {
        if (this.receivedBytes < 4) return;
        const head = this.received.length === 1 ? this.received[0] : Buffer.concat(this.received, this.receivedBytes);
        this.received = [head];
        const headerLength = head.readUInt32LE(0);
        if (this.receivedBytes < 4 + headerLength) return;
        try {
          this.frameHeader = JSON.parse(head.toString('utf8', 4, 4 + headerLength)) as Record<string, unknown>;
        } catch {
          this.fail(new TorchWorkerError(`${this.options.label}: the PyTorch worker sent a malformed frame`, 'protocol'));
          return;
        }
        this.frameBytes = 4 + headerLength + Number(this.frameHeader.payload ?? 0);
      }
      // the payload is joined once, when all of it has arrived (large tensors come in many pipe-sized chunks)
      if (this.receivedBytes < this.frameBytes) return;
      const all = this.received.length === 1 ? this.received[0] : Buffer.concat(this.received, this.receivedBytes);
      const headerLength = all.readUInt32LE(0);
      const body = all.subarray(4 + headerLength, this.frameBytes);
      const rest = all.subarray(this.frameBytes);
      const header = this.frameHeader!;
      this.received = rest.length ? [Buffer.from(rest)] : [];
      this.receivedBytes = rest.length;
      this.frameBytes = 0;
      this.frameHeader = undefined;
      this.answer(header, body);
    }
  }

  private answer(header: Record<string, unknown>, body: Buffer): void {
    const p = this.pending.shift();
    if (!p) {
      this.fail(new TorchWorkerError(`${this.options.label}: the PyTorch worker answered a request nobody made`, 'protocol'));
      return;
    }
    clearTimeout(p.timer);
    if (this.pending.length === 0) this.idle();
    if (typeof header.seconds === 'number' && header.ok === true) {
      this.stats.calls += 1;
      this.stats.workerSeconds += header.seconds;
    }
    if (header.ok !== true) {
      p.reject(
        new TorchWorkerError(
          `${this.options.label}: ${p.what} failed in the PyTorch worker: ${String(header.error)}`,
          String(header.kind ?? 'call'),
        ),
      );
      return;
    }
    const tensors: { name: string; data: Float32Array; dims: number[] }[] = [];
    let offset = 0;
    for (const t of (header.tensors as { name: string; dtype: string; shape: number[] }[] | undefined) ?? []) {
      const count = t.shape.reduce((a, b) => a * b, 1);
      const data = new Float32Array(count);
      new Uint8Array(data.buffer).set(body.subarray(offset, offset + 4 * count));
      offset += 4 * count + pad(4 * count);
      tensors.push({ name: t.name, data, dims: t.shape });
    }
    p.resolve({ header, tensors });
  }

  /** Sends one request and waits for its answer. */
  request(header: Record<string, unknown>, tensors: readonly WireTensor[], what: string, timeoutMs: number): Promise<Reply> {
    if (this.failure)
      return Promise.reject(new TorchWorkerError(`${this.failure.message}; ${what} was not sent${this.tail()}`, this.failure.kind));
    const parts: Buffer[] = [];
    let payload = 0;
    const evict: number[] = [];
    const described = tensors.map((t) => {
      if (t.reuse) {
        const id = this.keptIds.get(t.data);
        if (id !== undefined && this.kept.has(id)) {
          this.kept.delete(id);
          this.kept.add(id);
          return { name: t.name, dtype: t.type, shape: t.dims, cached: id };
        }
      }
      let store: number | undefined;
      if (t.reuse) {
        store = this.nextId++;
        this.keptIds.set(t.data, store);
        this.kept.add(store);
        while (this.kept.size > KEPT_TENSORS) {
          const oldest = this.kept.values().next().value as number;
          this.kept.delete(oldest);
          evict.push(oldest);
        }
      }
      const bytes = Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);
      parts.push(bytes);
      payload += bytes.length;
      const p = pad(bytes.length);
      if (p) {
        parts.push(Buffer.alloc(p));
        payload += p;
      }
      return { name: t.name, dtype: t.type, shape: t.dims, ...(store ? { store } : {}) };
    });
    const text = Buffer.from(JSON.stringify({ ...header, tensors: described, payload, ...(evict.length ? { evict } : {}) }), 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32LE(text.length, 0);
    return new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(
          new TorchWorkerError(
            `${this.options.label}: the PyTorch worker (pid ${this.child.pid}) gave no answer within ${(timeoutMs / 1000).toFixed(0)} s and was killed (hung?)`,
            'hang',
          ),
        );
      }, timeoutMs);
      this.pending.push({ what, resolve, reject, timer });
      this.busy();
      this.child.stdin.cork();
      this.child.stdin.write(length);
      this.child.stdin.write(text);
      for (const part of parts) this.child.stdin.write(part);
      this.child.stdin.uncork();
    });
  }

  /** Asks the worker to exit and waits (at most 5 s, then kills it). Harmless when already gone. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    const child = this.child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.ref();
    if (!this.failure) {
      const length = Buffer.alloc(4);
      const text = Buffer.from(JSON.stringify({ op: 'exit' }), 'utf8');
      length.writeUInt32LE(text.length, 0);
      child.stdin.write(Buffer.concat([length, text]));
      child.stdin.end();
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}
