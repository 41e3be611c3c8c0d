/** A noise source that records every draw, so a reference implementation in another language can replay it. */
import { PhiloxNoise, type NoiseSource } from '../core/philox.ts';
import { encodeNpz, npyArray, type NpyArray } from './npy.ts';

export class RecordingNoise implements NoiseSource {
  readonly seed: number;
  private readonly inner: PhiloxNoise;
  readonly draws = new Map<string, Float32Array>();

  constructor(seed: number) {
    this.seed = seed;
    this.inner = new PhiloxNoise(seed);
  }

  gaussian(sampleIndex: number, purpose: string, length: number): Float32Array {
    const v = this.inner.gaussian(sampleIndex, purpose, length);
    this.draws.set(`${sampleIndex}|${purpose}`, v);
    return v;
  }

  uniform(sampleIndex: number, purpose: string, length: number): Float64Array {
    return this.inner.uniform(sampleIndex, purpose, length);
  }

  /** .npz bytes: `keys` (UTF-8 JSON list of "index|purpose") and v0, v1, ... */
  toNpz(): Buffer {
    const keys = [...this.draws.keys()];
    const arrays: Record<string, NpyArray> = {
      keys: npyArray(new TextEncoder().encode(JSON.stringify(keys)), [new TextEncoder().encode(JSON.stringify(keys)).length]),
    };
    keys.forEach((k, i) => (arrays[`v${i}`] = npyArray(this.draws.get(k)!, [this.draws.get(k)!.length])));
    return encodeNpz(arrays);
  }
}
