/**
 * A sampler's velocity call as a package network's named inputs (docs/model-format.md, "Network contract"),
 * whatever engine runs the network: the noisy state, the timestep per row, class labels or text embeddings,
 * the frame and level scalars, the history per level (an unused level gets 0 frames) with its layout, and the
 * previous cascade stage upsampled. Then the checks every engine applies to what comes back.
 */
import { concatFrames, formatShape, type Tensor, upBilinear2, upNearest2 } from '../../core/tensor.ts';
import type { HistoryEntry, ModelSpec, VelocityInput } from '../contract/velocity-model.ts';
import type { NetworkEntry, PackageManifest } from './manifest.ts';
import type { ConditionInputs } from './model-set.ts';

/** A named input as engines take it. */
export interface FeedValue {
  readonly type: 'float32' | 'int64';
  readonly data: Float32Array | BigInt64Array;
  readonly dims: readonly number[];
}

/** Thrown when a network returns a non-finite value: names the file, the call and where. */
export class NonFiniteOutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NonFiniteOutputError';
  }
}

/** What the feed builder needs to know of one network. */
export interface FeedContext {
  readonly id: string;
  readonly spec: ModelSpec;
  readonly network: NetworkEntry;
  readonly manifest: PackageManifest;
  readonly conditionInputs: ConditionInputs;
}

/** History blocks joined along frames, by their first part: the same parts over a stage's steps are joined once. */
const joined = new WeakMap<Tensor, { readonly parts: readonly Tensor[]; readonly tensor: Tensor }>();

function joinedOnce(parts: readonly Tensor[]): Tensor {
  const known = joined.get(parts[0]);
  if (known && known.parts.length === parts.length && known.parts.every((p, i) => p === parts[i])) return known.tensor;
  const tensor = concatFrames(parts);
  joined.set(parts[0], { parts, tensor });
  return tensor;
}

/** The previous cascade stage upsampled, once per stage rather than once per step. */
const upsampled = new WeakMap<Tensor, { readonly mode: string; readonly tensor: Tensor }>();

function upsampledOnce(previous: Tensor, mode: 'nearest' | 'bilinear'): Tensor {
  const known = upsampled.get(previous);
  if (known && known.mode === mode) return known.tensor;
  const tensor = mode === 'bilinear' ? upBilinear2(previous) : upNearest2(previous);
  upsampled.set(previous, { mode, tensor });
  return tensor;
}

/**
 * Per level: the history frames given at that level (one contiguous block), or, when the level is unused, a
 * tensor with 0 frames (the contract requires networks to accept empty levels, so nothing is padded and the
 * tokens processed are exactly those the cost model counts).
 */
function historyFeeds(ctx: FeedContext, history: readonly HistoryEntry[], rows: number, feeds: Record<string, FeedValue>): void {
  const names = ctx.network.inputs.history ?? [];
  const layout = new BigInt64Array(2 * names.length);
  names.forEach((name, level) => {
    const entries = history.filter((h) => h.level === level).sort((a, b) => a.firstFrame - b.firstFrame);
    const h = ctx.network.height / 2 ** level;
    const w = ctx.network.width / 2 ** level;
    if (entries.length === 0) {
      feeds[name] = { type: 'float32', data: new Float32Array(0), dims: [rows, ctx.spec.channels, 0, h, w] };
      return;
    }
    entries.forEach((e, i) => {
      if (i > 0 && e.firstFrame !== entries[i - 1].firstFrame + entries[i - 1].tensor.frames) {
        throw new RangeError(
          `${ctx.id}: history at level ${level} is not contiguous (frames ${entries[i - 1].firstFrame}+${entries[i - 1].tensor.frames} then ${e.firstFrame})`,
        );
      }
    });
    const t = entries.length === 1 ? entries[0].tensor : joinedOnce(entries.map((e) => e.tensor));
    if (t.height !== h || t.width !== w || t.batch !== rows)
      throw new RangeError(
        `${ctx.id}: history at level ${level} has shape ${formatShape(t.shape)}; expected [${rows}, ${ctx.spec.channels}, *, ${h}, ${w}]`,
      );
    feeds[name] = { type: 'float32', data: t.data, dims: [...t.shape] };
    layout[2 * level] = BigInt(entries[0].firstFrame);
    layout[2 * level + 1] = BigInt(t.frames);
  });
  const unplaced = history.filter((h) => h.level >= names.length);
  if (unplaced.length)
    throw new RangeError(`${ctx.id}: history at level ${unplaced[0].level}, but the network takes levels 0 to ${names.length - 1}`);
  if (ctx.network.inputs.historyLayout) feeds[ctx.network.inputs.historyLayout] = { type: 'int64', data: layout, dims: [names.length, 2] };
}

/** The network's named inputs for one call; refuses a call the network cannot take, naming what is wrong. */
export function networkFeeds(ctx: FeedContext, input: VelocityInput): Record<string, FeedValue> {
  const { x } = input;
  const rows = x.batch;
  const { network, spec, manifest } = ctx;
  const inputs = network.inputs;
  if (x.channels !== spec.channels) throw new RangeError(`${ctx.id}: input has ${x.channels} channels, the network takes ${spec.channels}`);
  const level = Math.round(Math.log2(network.height / x.height));
  if (network.height / 2 ** level !== x.height || network.width / 2 ** level !== x.width) {
    throw new RangeError(`${ctx.id}: input ${formatShape(x.shape)} is not ${network.height}x${network.width} taken down by a power of 2`);
  }
  if (network.role !== 'pyramid' && level !== 0)
    throw new RangeError(`${ctx.id}: expects ${network.height}x${network.width} inputs, got ${formatShape(x.shape)}`);
  const feeds: Record<string, FeedValue> = {
    [inputs.x]: { type: 'float32', data: x.data, dims: [...x.shape] },
    [inputs.timestep]: { type: 'float32', data: new Float32Array(rows).fill(input.timestep), dims: [rows] },
  };
  if (inputs.label) feeds[inputs.label] = { type: 'int64', data: ctx.conditionInputs.labels!(input.conditions), dims: [rows] };
  if (inputs.text && manifest.conditioning.kind === 'text') {
    const { tokens, dim } = manifest.conditioning;
    feeds[inputs.text] = { type: 'float32', data: ctx.conditionInputs.text!(input.conditions), dims: [rows, tokens, dim] };
  }
  if (inputs.frame0) feeds[inputs.frame0] = { type: 'int64', data: BigInt64Array.of(BigInt(input.firstFrame)), dims: [1] };
  if (inputs.level) feeds[inputs.level] = { type: 'int64', data: BigInt64Array.of(BigInt(level)), dims: [1] };
  if (inputs.history) historyFeeds(ctx, input.history, rows, feeds);
  else if (input.history.length)
    throw new RangeError(
      `${ctx.id}: the network takes no history, but the call has ${input.history.length} history entries (use joint temporal mode)`,
    );
  if (inputs.lowRes) {
    const prev = input.previousStage;
    if (!prev) throw new RangeError(`${ctx.id}: a super-resolution network needs the previous stage's output`);
    const up = upsampledOnce(prev, network.lowResUpsample ?? 'nearest');
    if (up.height !== x.height || up.width !== x.width || up.batch !== rows)
      throw new RangeError(`${ctx.id}: previous stage ${formatShape(prev.shape)} does not upsample to ${formatShape(x.shape)}`);
    feeds[inputs.lowRes] = { type: 'float32', data: up.data, dims: [...up.shape] };
  }
  return feeds;
}

/** Checks a network's velocity output: the input's shape, every value finite. `where` names the network file or call. */
export function checkVelocity(
  where: string,
  output: string,
  dims: readonly number[],
  data: Float32Array,
  x: Tensor,
  input: VelocityInput,
): void {
  if (dims.length !== 5 || dims.some((d, i) => d !== x.shape[i])) {
    throw new RangeError(
      `${where}: output '${output}' has shape [${dims.join(', ')}] for input x ${formatShape(x.shape)}; it must match x`,
    );
  }
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw new NonFiniteOutputError(
        `${where}: the network returned ${data[i]} at output value ${i} (row ${Math.floor(i / x.sampleSize)}) for flow ${JSON.stringify(input.flow)}, ratio ${input.ratio}, timestep ${input.timestep}`,
      );
    }
  }
}
