/**
 * A velocity model backed by an ONNX network (docs/model-format.md): the sampler's call becomes the network's
 * named inputs (src/models/package/feeds.ts), runs in an onnxruntime session, and the output is checked. Guidance
 * rows arrive already batched (unconditional and conditional in one call). The time spent inside `session.run`
 * is counted for the overhead benchmark.
 */
import { Tensor } from '../../core/tensor.ts';
import type { ModelSpec, VelocityInput, VelocityModel } from '../contract/velocity-model.ts';
import { checkVelocity, networkFeeds, type FeedContext } from '../package/feeds.ts';
import type { NetworkEntry, PackageManifest } from '../package/manifest.ts';
import type { ConditionInputs } from '../package/model-set.ts';
import { runSession, type LoadedSession, type ProviderName } from './runtime.ts';

export { NonFiniteOutputError } from '../package/feeds.ts';
export type { ConditionInputs } from '../package/model-set.ts';

/** Counts of `session.run` calls and their summed wall time (milliseconds). */
export interface RunStats {
  calls: number;
  milliseconds: number;
  /** Of `calls`, those that ran on the single-threaded session for small calls. */
  singleThreadCalls: number;
}

export class OnnxVelocityModel implements VelocityModel {
  readonly runStats: RunStats = { calls: 0, milliseconds: 0, singleThreadCalls: 0 };
  private readonly context: FeedContext;

  constructor(
    readonly id: string,
    readonly hash: string,
    readonly spec: ModelSpec,
    private readonly session: LoadedSession,
    private readonly network: NetworkEntry,
    manifest: PackageManifest,
    conditionInputs: ConditionInputs,
    /** A single-threaded session of the same network for calls with fewer input values than `belowValues`. */
    private readonly small?: { readonly session: LoadedSession; readonly belowValues: number },
  ) {
    this.context = { id, spec, network, manifest, conditionInputs };
  }

  /** The execution provider the session runs on. */
  get provider(): ProviderName {
    return this.session.provider;
  }

  async predict(input: VelocityInput): Promise<Tensor> {
    const feeds = networkFeeds(this.context, input);
    let values = 0;
    for (const f of Object.values(feeds)) values += f.data.length;
    const session = this.small && values < this.small.belowValues ? this.small.session : this.session;
    const started = performance.now();
    const out = await runSession(session, feeds, [this.network.output]);
    this.runStats.milliseconds += performance.now() - started;
    this.runStats.calls += 1;
    if (session !== this.session) this.runStats.singleThreadCalls += 1;
    const v = out[this.network.output];
    const data = v.data as Float32Array;
    checkVelocity(this.session.file, this.network.output, v.dims, data, input.x, input);
    return new Tensor(input.x.shape, data);
  }
}
