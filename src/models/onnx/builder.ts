/**
 * Writes ONNX models from TypeScript: a small protobuf encoder for the parts of `onnx.proto` (ModelProto,
 * GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto) that a feed-forward graph needs, and a
 * graph builder on top. Used for built-in networks that need no download (e.g. seeded random-weight feature
 * extractors) and for test models.
 */

type Field = Uint8Array;

function varint(value: number | bigint): number[] {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) byte |= 0x80;
    out.push(byte);
  } while (v !== 0n);
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const total = parts.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Wire type 0 field. */
function fVarint(field: number, value: number | bigint): Field {
  return Uint8Array.from([...varint((field << 3) | 0), ...varint(value)]);
}

/** Wire type 2 field (bytes, strings, sub-messages, packed arrays). */
function fBytes(field: number, bytes: Uint8Array): Field {
  return concat([Uint8Array.from([...varint((field << 3) | 2), ...varint(bytes.length)]), bytes]);
}

function fString(field: number, s: string): Field {
  return fBytes(field, new TextEncoder().encode(s));
}

/** Wire type 5 field (32-bit float). */
function fFloat(field: number, value: number): Field {
  const b = new Uint8Array(5);
  b[0] = (field << 3) | 5;
  new DataView(b.buffer).setFloat32(1, value, true);
  return b;
}

/** ONNX TensorProto.DataType codes. */
export const ONNX_TYPES = { float32: 1, uint8: 2, int8: 3, int32: 6, int64: 7, bool: 9, float64: 11 } as const;
export type OnnxType = keyof typeof ONNX_TYPES;

type TypedData = Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array;

function tensorProto(name: string, type: OnnxType, dims: readonly number[], data: TypedData): Uint8Array {
  const size = dims.reduce((a, b) => a * b, 1);
  if (size !== data.length) throw new RangeError(`initializer ${name}: dims [${dims.join(', ')}] need ${size} values, got ${data.length}`);
  return concat([
    ...dims.map((d) => fVarint(1, d)),
    fVarint(2, ONNX_TYPES[type]),
    fString(8, name),
    fBytes(9, new Uint8Array(data.buffer, data.byteOffset, data.byteLength)),
  ]);
}

/** A dimension: a fixed size or a symbolic name (e.g. "batch"). */
export type Dim = number | string;

function valueInfo(name: string, type: OnnxType, shape: readonly Dim[]): Uint8Array {
  const dims = shape.map((d) => fBytes(1, typeof d === 'number' ? fVarint(1, d) : fString(2, d)));
  const tensorType = concat([fVarint(1, ONNX_TYPES[type]), fBytes(2, concat(dims))]);
  return concat([fString(1, name), fBytes(2, fBytes(1, tensorType))]);
}

/** An attribute value: number (int unless `float` says otherwise), numbers, string, or a tensor. */
export type AttributeValue =
  | number
  | { readonly float: number }
  | readonly number[]
  | { readonly floats: readonly number[] }
  | string
  | { readonly tensor: { readonly type: OnnxType; readonly dims: readonly number[]; readonly data: TypedData } };

function attribute(name: string, value: AttributeValue): Uint8Array {
  const parts: Uint8Array[] = [fString(1, name)];
  if (typeof value === 'number') {
    if (!Number.isInteger(value))
      throw new RangeError(`attribute ${name}: ${value} is not an integer; pass { float: ${value} } for a float`);
    parts.push(fVarint(3, value), fVarint(20, 2));
  } else if (typeof value === 'string') parts.push(fString(4, value), fVarint(20, 3));
  else if (Array.isArray(value)) parts.push(...value.map((v) => fVarint(8, v)), fVarint(20, 7));
  else if ('float' in value) parts.push(fFloat(2, value.float), fVarint(20, 1));
  else if ('floats' in value) parts.push(...value.floats.map((v) => fFloat(7, v)), fVarint(20, 6));
  else if ('tensor' in value)
    parts.push(fBytes(5, tensorProto(name, value.tensor.type, value.tensor.dims, value.tensor.data)), fVarint(20, 4));
  return concat(parts);
}

/** Builds one graph: inputs, initializers, nodes, outputs; then serialises a model. */
export class GraphBuilder {
  private readonly nodes: Uint8Array[] = [];
  private readonly initializers: Uint8Array[] = [];
  private readonly inputs: Uint8Array[] = [];
  private readonly outputs: Uint8Array[] = [];
  private readonly names = new Set<string>();
  private counter = 0;

  constructor(readonly name: string) {}

  private fresh(prefix: string): string {
    let n: string;
    do n = `${prefix}_${this.counter++}`;
    while (this.names.has(n));
    this.names.add(n);
    return n;
  }

  private claim(name: string): string {
    if (this.names.has(name)) throw new RangeError(`graph ${this.name}: the name '${name}' is already used`);
    this.names.add(name);
    return name;
  }

  /** Declares a graph input. */
  input(name: string, type: OnnxType, shape: readonly Dim[]): string {
    this.inputs.push(valueInfo(this.claim(name), type, shape));
    return name;
  }

  /** Adds a constant tensor (weights). */
  initializer(name: string | null, type: OnnxType, dims: readonly number[], data: TypedData): string {
    const n = name === null ? this.fresh('w') : this.claim(name);
    this.initializers.push(tensorProto(n, type, dims, data));
    return n;
  }

  /** Adds a node; returns its output names (one unless `outputs` says more). */
  node(
    opType: string,
    inputs: readonly string[],
    attributes: Readonly<Record<string, AttributeValue>> = {},
    outputs: number | readonly string[] = 1,
    domain = '',
  ): string[] {
    const outs =
      typeof outputs === 'number'
        ? Array.from({ length: outputs }, () => this.fresh(opType.toLowerCase()))
        : outputs.map((o) => this.claim(o));
    const parts: Uint8Array[] = [
      ...inputs.map((i) => fString(1, i)),
      ...outs.map((o) => fString(2, o)),
      fString(3, this.fresh(`node_${opType}`)),
      fString(4, opType),
      ...Object.entries(attributes).map(([k, v]) => fBytes(5, attribute(k, v))),
    ];
    if (domain) parts.push(fString(7, domain));
    this.nodes.push(concat(parts));
    return outs;
  }

  /** Shorthand for a one-output node. */
  op(opType: string, inputs: readonly string[], attributes: Readonly<Record<string, AttributeValue>> = {}): string {
    return this.node(opType, inputs, attributes)[0];
  }

  /** Renames `value` to the graph output `name` (through Identity) and declares it. */
  output(value: string, name: string, type: OnnxType, shape: readonly Dim[]): string {
    this.node('Identity', [value], {}, [name]);
    this.outputs.push(valueInfo(name, type, shape));
    return name;
  }

  /** Serialises a ModelProto (IR version 8, default domain at `opset`). */
  toBytes(options: { opset?: number; producer?: string; docString?: string } = {}): Uint8Array {
    const graph = concat([
      ...this.nodes.map((n) => fBytes(1, n)),
      fString(2, this.name),
      ...this.initializers.map((t) => fBytes(5, t)),
      ...this.inputs.map((v) => fBytes(11, v)),
      ...this.outputs.map((v) => fBytes(12, v)),
    ]);
    const opset = concat([fString(1, ''), fVarint(2, options.opset ?? 17)]);
    return concat([
      fVarint(1, 8),
      fString(2, options.producer ?? 'pyramid-bench'),
      fString(3, '0.1.0'),
      ...(options.docString ? [fString(6, options.docString)] : []),
      fBytes(7, graph),
      fBytes(8, opset),
    ]);
  }
}
