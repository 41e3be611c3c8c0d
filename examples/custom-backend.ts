/**
 * A user-defined backend under its own prefix, written against the model contract alone
 * (`src/models/contract/`): `zero:<side>` is one unconditional full-resolution model of one grey frame of
 * side x side pixels whose data is the point mass at 0, so its ideal velocity on the plain flow
 * x_r = r n + (1 - r) y is v = n - y = x_r / r. The fuller template to copy, with a pyramidal model, class
 * conditions and every member explained, is `src/models/template/backend.ts`; docs/extending.md, "A backend".
 *
 * `main()` registers the prefix, loads `zero:8` through `loadModelSet` as a suite or the CLI would, samples it with
 * the `full` sampler, and closes it.
 *
 * Run: npx tsx examples/custom-backend.ts
 */
import { pathToFileURL } from 'node:url';
import { Tensor, formatShape } from '../src/core/tensor.ts';
import { PhiloxNoise } from '../src/core/philox.ts';
import type { ModelSet, VelocityInput, VelocityModel } from '../src/models/contract/velocity-model.ts';
import { cpuDevice } from '../src/models/contract/device.ts';
import { backends, loadModelSet } from '../src/models/load.ts';
import { samplers } from '../src/samplers/index.ts';

/** The `zero:<side>` model set. */
export function zeroModelSet(rest: string): ModelSet {
  const side = Number(rest);
  if (!/^\d+$/.test(rest) || side < 1 || side > 256)
    throw new RangeError(`zero reference '${rest}': allowed: zero:<side>, side an integer from 1 to 256`);
  let closed = false;
  const full: VelocityModel = {
    id: `zero:${side}/full`,
    hash: `zero-v1-${side}`,
    spec: { channels: 1, frames: 1, height: side, width: side, role: 'full', shift: 1, conditioning: { kind: 'none' }, patchSize: 1 },
    async predict(input: VelocityInput): Promise<Tensor> {
      if (closed) throw new Error(`zero:${side}/full: predict called after close()`);
      const [, C, T, h, w] = input.x.shape;
      if (input.flow.kind !== 'full' || C !== 1 || T !== 1 || h !== side || w !== side || !(input.ratio > 0 && input.ratio <= 1)) {
        throw new RangeError(
          `zero:${side}/full: serves the full flow on [rows, 1, 1, ${side}, ${side}] at 0 < r <= 1; got '${input.flow.kind}' on ${formatShape(input.x.shape)} at r = ${input.ratio}`,
        );
      }
      // a new tensor: the caller owns it
      return new Tensor(
        input.x.shape,
        input.x.data.map((v) => v / input.ratio),
      );
    },
  };
  return {
    id: `zero:${side}`,
    full,
    device: cpuDevice('TypeScript (zero example backend)'),
    async close() {
      closed = true;
    },
  };
}

/** Registers the `zero` prefix (the registry rejects a second registration). */
export function registerZero(): void {
  if (!backends.has('zero'))
    backends.register('zero', async (rest) => zeroModelSet(rest), 'example: the point mass at 0 (zero:<side>; examples/custom-backend.ts)');
}

/** What `main` computed. */
export interface BackendExampleResult {
  readonly id: string;
  readonly shape: readonly number[];
  readonly nfe: number;
  /** Largest |sample|: 0 up to float32 rounding, since Euler is exact on a point mass's straight paths. */
  readonly maxAbs: number;
  /** Largest |initial noise|, for scale. */
  readonly maxAbsNoise: number;
  readonly device: string;
  /** The message of a predict after close(). */
  readonly afterClose: string;
}

export async function main(): Promise<BackendExampleResult> {
  registerZero();
  const models = await loadModelSet('zero:8');
  const full = samplers.get('full');
  const items = [0, 1, 2].map((index) => ({ index, condition: { kind: 'unconditional' as const } }));
  const noise = new PhiloxNoise(0);
  const result = await full.sample(
    models,
    { items, guidance: { firstFrame: 1, video: 1 }, settings: full.parseSettings({ steps: 3 }, models) },
    noise,
  );
  const maxAbsNoise = Math.max(...items.flatMap((i) => Array.from(noise.gaussian(i.index, 'initial', 64), Math.abs)));
  await models.close();
  let afterClose = '';
  await models
    .full!.predict({
      x: new Tensor([1, 1, 1, 8, 8]),
      flow: { kind: 'full' },
      ratio: 1,
      timestep: 1000,
      conditions: [{ kind: 'unconditional' }],
      history: [],
      firstFrame: 0,
    })
    .catch((e: Error) => (afterClose = e.message));
  return {
    id: models.id,
    shape: result.samples.shape,
    nfe: result.cost.nfe,
    maxAbs: Math.max(...Array.from(result.samples.data, Math.abs)),
    maxAbsNoise,
    device: models.device.runtime,
    afterClose,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then((result) => console.log(JSON.stringify(result, null, 2)));
}
