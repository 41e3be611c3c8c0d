/**
 * The network contract: which inputs and outputs each network role must have, with element types and shapes,
 * checked against an onnxruntime session's metadata at load time. A mismatch names the file, the input, what
 * was expected and what was found.
 */
import type { TensorInfo } from './runtime.ts';
import type { NetworkEntry, PackageManifest } from '../package/manifest.ts';
import { PackageError } from '../package/manifest.ts';

/** A dimension rule: a size that a fixed dimension must equal (a symbolic one is accepted), 'dynamic' (must be symbolic), or 'any'. */
type DimRule = number | 'dynamic' | 'any';

interface Expectation {
  readonly name: string;
  readonly what: string;
  readonly type: string;
  readonly dims: readonly DimRule[];
  /** Why a dimension must be dynamic, for the message. */
  readonly why?: string;
}

const show = (dims: readonly DimRule[] | readonly (number | string)[]) =>
  `[${dims.map((d) => (d === 'dynamic' ? 'dynamic' : d === 'any' ? '*' : String(d))).join(', ')}]`;

/** The inputs and output a network must have, given the manifest. */
export function expectations(m: PackageManifest, n: NetworkEntry): { inputs: Expectation[]; output: Expectation } {
  const C = m.sample.channels;
  const K = m.pyramid?.stages ?? 1;
  const spatial: DimRule = n.role === 'pyramid' && K > 1 ? 'dynamic' : 'any';
  const frames: DimRule = 'any';
  const why =
    n.role === 'pyramid' && K > 1
      ? `the pyramid runs its stages at ${Array.from({ length: K }, (_, k) => `${n.height / 2 ** (K - 1 - k)}x${n.width / 2 ** (K - 1 - k)}`).join(', ')}`
      : undefined;
  const xDims: DimRule[] = ['dynamic', C, frames, spatial, spatial];
  const inputs: Expectation[] = [
    { name: n.inputs.x, what: 'x (noisy state)', type: 'float32', dims: xDims, why },
    { name: n.inputs.timestep, what: 'timestep', type: 'float32', dims: ['dynamic'] },
  ];
  if (n.inputs.label) inputs.push({ name: n.inputs.label, what: 'label (class)', type: 'int64', dims: ['dynamic'] });
  if (n.inputs.text && m.conditioning.kind === 'text')
    inputs.push({
      name: n.inputs.text,
      what: 'text embedding',
      type: 'float32',
      dims: ['dynamic', m.conditioning.tokens, m.conditioning.dim],
    });
  if (n.inputs.frame0) inputs.push({ name: n.inputs.frame0, what: 'frame0 (first frame index)', type: 'int64', dims: [1] });
  if (n.inputs.level) inputs.push({ name: n.inputs.level, what: 'level (downsampling exponent of x)', type: 'int64', dims: [1] });
  n.inputs.history?.forEach((name, level) =>
    inputs.push({
      name,
      what: `history at level ${level}`,
      type: 'float32',
      dims: ['dynamic', C, 'dynamic', n.height / 2 ** level, n.width / 2 ** level],
      why: 'frame counts vary per unit; an unused level has 0 frames',
    }),
  );
  if (n.inputs.historyLayout)
    inputs.push({ name: n.inputs.historyLayout, what: 'history layout', type: 'int64', dims: [n.inputs.history?.length ?? K, 2] });
  if (n.inputs.lowRes) inputs.push({ name: n.inputs.lowRes, what: 'low-resolution condition', type: 'float32', dims: xDims });
  return { inputs, output: { name: n.output, what: 'velocity', type: 'float32', dims: ['dynamic', 'any', 'any', 'any', 'any'] } };
}

function checkOne(file: string, e: Expectation, found: TensorInfo | undefined, kind: 'input' | 'output'): void {
  if (!found) throw new PackageError(`${file}: the manifest names ${kind} '${e.name}' (${e.what}), but the network has no such ${kind}`);
  const expected = `${e.type} ${show(e.dims)}`;
  const got = `${found.type} ${show(found.shape)}`;
  if (found.type !== e.type) throw new PackageError(`${file}: ${kind} '${e.name}' (${e.what}): expected ${expected}, found ${got}`);
  if (found.shape.length !== e.dims.length)
    throw new PackageError(`${file}: ${kind} '${e.name}' (${e.what}): expected rank ${e.dims.length} ${expected}, found ${got}`);
  e.dims.forEach((rule, i) => {
    const d = found.shape[i];
    const symbolic = typeof d === 'string' || d < 0;
    if (rule === 'dynamic' && !symbolic) {
      throw new PackageError(
        `${file}: ${kind} '${e.name}' (${e.what}): dimension ${i} is fixed at ${d}, but must be dynamic${i === 0 ? ' (batch)' : e.why ? ` (${e.why})` : ''}; expected ${expected}, found ${got}`,
      );
    }
    if (typeof rule === 'number' && !symbolic && d !== rule)
      throw new PackageError(
        `${file}: ${kind} '${e.name}' (${e.what}): dimension ${i} is ${d}, expected ${rule}; expected ${expected}, found ${got}`,
      );
  });
}

/** Checks a session's inputs and outputs against the contract; extra required inputs are refused too. */
export function checkContract(
  file: string,
  m: PackageManifest,
  n: NetworkEntry,
  inputs: readonly TensorInfo[],
  outputs: readonly TensorInfo[],
): void {
  const { inputs: want, output } = expectations(m, n);
  for (const e of want)
    checkOne(
      file,
      e,
      inputs.find((i) => i.name === e.name),
      'input',
    );
  const extra = inputs.filter((i) => !want.some((e) => e.name === i.name));
  if (extra.length)
    throw new PackageError(
      `${file}: input(s) ${extra.map((i) => `'${i.name}' ${i.type} ${show(i.shape)}`).join(', ')} are not described by the manifest; described: ${want.map((e) => e.name).join(', ')}`,
    );
  checkOne(
    file,
    output,
    outputs.find((o) => o.name === output.name),
    'output',
  );
}
