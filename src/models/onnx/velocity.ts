/**
 * A velocity model backed by an ONNX network (docs/model-format.md): maps a sampler's call (noisy state, time,
 * conditions, history entries, previous cascade stage) onto the network's named inputs, runs it, and checks the
 * output. Guidance rows arrive already batched (unconditional and conditional in one call). Input buffers for
 * the small per-call tensors are reused; the time spent inside `session.run` is counted for the overhead benchmark.
 */
import { Tensor, concatFrames, formatShape, upBilinear2, upNearest2 } from '../../core/tensor.ts';
import type { Condition, HistoryEntry, ModelSpec, VelocityInput, VelocityModel } from '../contract/velocity-model.ts';
import { runSession, type LoadedSession, type ProviderName, type TensorValue } from './runtime.ts';
import type { NetworkEntry, PackageManifest } from './manifest.ts';

/** Thrown when a network returns a non-finite value: names the file, the call and where. */
export class NonFiniteOutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NonFiniteOutputError';
  }
}

/** Maps conditions to the network's conditioning inputs. */
export interface ConditionInputs {
  /** Class label per row (null label for unconditional rows), or undefined for text/none models. */
  labels?(conditions: readonly Condition[]): BigInt64Array;
  /** Text embeddings per row [rows, tokens, dim] (negative prompt for unconditional rows). */
  text?(conditions: readonly Condition[]): Float32Array;
}

/** Counts of `session.run` calls and their summed wall time (milliseconds). */
export interface RunStats {
  calls: number;
  milliseconds: number;
  /** Of `calls`, those that ran on the single-threaded session for small calls. */
  singleThreadCalls: number;
}

export class OnnxVelocityModel implements VelocityModel {
  readonly runStats: RunStats = { calls: 0, milliseconds: 0, singleThreadCalls: 0 };
  private readonly scalars = { frame0: new BigInt64Array(1), level: new BigInt64Array(1) };
  private timestepBuffer = new Float32Array(0);

  constructor(
    readonly id: string,
    readonly hash: string,
    readonly spec: ModelSpec,
    private readonly session: LoadedSession,
    private readonly network: NetworkEntry,
    private readonly manifest: PackageManifest,
    private readonly conditionInputs: ConditionInputs,
    /** A single-threaded session of the same network for calls with fewer input values than `belowValues`. */
    private readonly small?: { readonly session: LoadedSession; readonly belowValues: number },
  ) {}

  /** The execution provider the session runs on. */
  get provider(): ProviderName {
    return this.session.provider;
  }

  /**
   * Per level: the history frames given at that level (one contiguous block), or, when the level is unused, a
   * tensor with 0 frames (the contract requires networks to accept empty levels, so nothing is padded and the
   * tokens processed are exactly those the cost model counts).
   */
  private historyFeeds(history: readonly HistoryEntry[], rows: number, feeds: Record<string, TensorValue>): void {
    const names = this.network.inputs.history ?? [];
    const layout = new BigInt64Array(2 * names.length);
    names.forEach((name, level) => {
      const entries = history.filter((h) => h.level === level).sort((a, b) => a.firstFrame - b.firstFrame);
      const h = this.network.height / 2 ** level;
      const w = this.network.width / 2 ** level;
      if (entries.length === 0) {
        feeds[name] = { type: 'float32', data: new Float32Array(0), dims: [rows, this.spec.channels, 0, h, w] };
        return;
      }
      entries.forEach((e, i) => {
        if (i > 0 && e.firstFrame !== entries[i - 1].firstFrame + entries[i - 1].tensor.frames) {
          throw new RangeError(
            `${this.id}: history at level ${level} is not contiguous (frames ${entries[i - 1].firstFrame}+${entries[i - 1].tensor.frames} then ${e.firstFrame})`,
          );
        }
      });
      const t = entries.length === 1 ? entries[0].tensor : concatFrames(entries.map((e) => e.tensor));
      if (t.height !== h || t.width !== w || t.batch !== rows)
        throw new RangeError(
          `${this.id}: history at level ${level} has shape ${formatShape(t.shape)}; expected [${rows}, ${this.spec.channels}, *, ${h}, ${w}]`,
        );
      feeds[name] = { type: 'float32', data: t.data, dims: [...t.shape] };
      layout[2 * level] = BigInt(entries[0].firstFrame);
      layout[2 * level + 1] = BigInt(t.frames);
    });
    const unplaced = history.filter((h) => h.level >= names.length);
    if (unplaced.length)
      throw new RangeError(`${this.id}: history at level ${unplaced[0].level}, but the network takes levels 0 to ${names.length - 1}`);
    if (this.network.inputs.historyLayout)
      feeds[this.network.inputs.historyLayout] = { type: 'int64', data: layout, dims: [names.length, 2] };
  }

  async predict(input: VelocityInput): Promise<Tensor> {
    const { x } = input;
    const rows = x.batch;
    const inputs = this.network.inputs;
    if (x.channels !== this.spec.channels)
      throw new RangeError(`${this.id}: input has ${x.channels} channels, the network takes ${this.spec.channels}`);
    const level = Math.round(Math.log2(this.network.height / x.height));
    if (this.network.height / 2 ** level !== x.height || this.network.width / 2 ** level !== x.width) {
      throw new RangeError(
        `${this.id}: input ${formatShape(x.shape)} is not ${this.network.height}x${this.network.width} taken down by a power of 2`,
      );
    }
    if (this.network.role !== 'pyramid' && level !== 0)
      throw new RangeError(`${this.id}: expects ${this.network.height}x${this.network.width} inputs, got ${formatShape(x.shape)}`);
    if (this.timestepBuffer.length !== rows) this.timestepBuffer = new Float32Array(rows);
    this.timestepBuffer.fill(input.timestep);
    const feeds: Record<string, TensorValue> = {
      [inputs.x]: { type: 'float32', data: x.data, dims: [...x.shape] },
      [inputs.timestep]: { type: 'float32', data: this.timestepBuffer, dims: [rows] },
    };
    if (inputs.label) feeds[inputs.label] = { type: 'int64', data: this.conditionInputs.labels!(input.conditions), dims: [rows] };
    if (inputs.text && this.manifest.conditioning.kind === 'text') {
      const { tokens, dim } = this.manifest.conditioning;
      feeds[inputs.text] = { type: 'float32', data: this.conditionInputs.text!(input.conditions), dims: [rows, tokens, dim] };
    }
    if (inputs.frame0) {
      this.scalars.frame0[0] = BigInt(input.firstFrame);
      feeds[inputs.frame0] = { type: 'int64', data: this.scalars.frame0, dims: [1] };
    }
    if (inputs.level) {
      this.scalars.level[0] = BigInt(level);
      feeds[inputs.level] = { type: 'int64', data: this.scalars.level, dims: [1] };
    }
    if (inputs.history) this.historyFeeds(input.history, rows, feeds);
    else if (input.history.length)
      throw new RangeError(
        `${this.id}: the network takes no history, but the call has ${input.history.length} history entries (use joint temporal mode)`,
      );
    if (inputs.lowRes) {
      const prev = input.previousStage;
      if (!prev) throw new RangeError(`${this.id}: a super-resolution network needs the previous stage's output`);
      const up = this.network.lowResUpsample === 'bilinear' ? upBilinear2(prev) : upNearest2(prev);
      if (up.height !== x.height || up.width !== x.width || up.batch !== rows)
        throw new RangeError(`${this.id}: previous stage ${formatShape(prev.shape)} does not upsample to ${formatShape(x.shape)}`);
      feeds[inputs.lowRes] = { type: 'float32', data: up.data, dims: [...up.shape] };
    }
    let values = 0;
    for (const f of Object.values(feeds)) values += f.data.length;
    const session = this.small && values < this.small.belowValues ? this.small.session : this.session;
    const started = performance.now();
    const out = await runSession(session, feeds, [this.network.output]);
    this.runStats.milliseconds += performance.now() - started;
    this.runStats.calls += 1;
    if (session !== this.session) this.runStats.singleThreadCalls += 1;
    const v = out[this.network.output];
    const dims = v.dims;
    if (dims.length !== 5 || dims.some((d, i) => d !== x.shape[i])) {
      throw new RangeError(
        `${this.session.file}: output '${this.network.output}' has shape [${dims.join(', ')}] for input x ${formatShape(x.shape)}; it must match x`,
      );
    }
    const data = v.data as Float32Array;
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i])) {
        throw new NonFiniteOutputError(
          `${this.session.file}: the network returned ${data[i]} at output value ${i} (row ${Math.floor(i / x.sampleSize)}) for flow ${JSON.stringify(input.flow)}, ratio ${input.ratio}, timestep ${input.timestep}`,
        );
      }
    }
    return new Tensor(x.shape, data);
  }
}
