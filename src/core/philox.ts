/**
 * Philox4x32-10, the counter-based generator of Salmon et al., "Parallel random numbers: as easy as 1, 2, 3"
 * (SC 2011), bit-exact with Random123's `philox4x32_R(10, ctr, key)` (its kat_vectors), and the Gaussian
 * noise source built on it: the values for (seed, sampleIndex, purpose) depend on nothing else, so a sample's
 * noise is the same whatever the batch size or the order in which samples are generated.
 */

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/** High 32 bits of the 64-bit product of two uint32 values (exact in doubles via 16-bit limbs). */
export function mulhi32(a: number, b: number): number {
  const aL = a & 0xffff;
  const aH = a >>> 16;
  const bL = b & 0xffff;
  const bH = b >>> 16;
  const ll = aL * bL;
  const lh = aL * bH;
  const hl = aH * bL;
  const hh = aH * bH;
  const mid = (ll >>> 16) + (lh & 0xffff) + (hl & 0xffff); // below 3 * 2^16
  return (hh + (lh >>> 16) + (hl >>> 16) + (mid >>> 16)) >>> 0;
}

/**
 * One Philox4x32 block: 4 output words from a 4-word counter and a 2-word key, `rounds` rounds (10 is the
 * standard, and the only one the known-answer vectors cover).
 */
export function philox4x32(counter: ArrayLike<number>, key: ArrayLike<number>, rounds = 10): Uint32Array {
  const out = new Uint32Array(4);
  philoxBlock(out, counter[0] >>> 0, counter[1] >>> 0, counter[2] >>> 0, counter[3] >>> 0, roundKeys(key[0] >>> 0, key[1] >>> 0, rounds));
  return out;
}

/** The round keys of Philox4x32 for key (k0, k1), interleaved [k0, k1] per round (the Weyl sequence). */
function roundKeys(k0: number, k1: number, rounds = 10): Uint32Array {
  const keys = new Uint32Array(2 * rounds);
  for (let r = 0; r < rounds; r++) {
    keys[2 * r] = k0;
    keys[2 * r + 1] = k1;
    k0 = (k0 + W0) >>> 0;
    k1 = (k1 + W1) >>> 0;
  }
  return keys;
}

/**
 * One block, one round per key pair, the keys precomputed by `roundKeys`: the known-answer vectors and every
 * sample's noise go through it.
 */
function philoxBlock(out: Uint32Array, c0: number, c1: number, c2: number, c3: number, keys: Uint32Array): void {
  for (let r = 0; r < keys.length; r += 2) {
    const hi0 = mulhi32(M0, c0);
    const hi1 = mulhi32(M1, c2);
    const lo0 = Math.imul(M0, c0) >>> 0;
    const lo1 = Math.imul(M1, c2) >>> 0;
    c0 = (hi1 ^ c1 ^ keys[r]) >>> 0;
    c1 = lo1;
    c2 = (hi0 ^ c3 ^ keys[r + 1]) >>> 0;
    c3 = lo0;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
}

/** 64-bit FNV-1a of a string's UTF-8 bytes, as two uint32 words [low, high]. */
export function fnv1a64(text: string): [number, number] {
  let h = 0xcbf29ce484222325n;
  const prime = 0x100000001b3n;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= BigInt(byte);
    h = (h * prime) & 0xffffffffffffffffn;
  }
  return [Number(h & 0xffffffffn), Number(h >> 32n)];
}

/** A source of i.i.d. standard Gaussian noise addressed by sample index and purpose. */
export interface NoiseSource {
  /** The seed, recorded in reports. */
  readonly seed: number;
  /**
   * `length` i.i.d. N(0, 1) values for sample `sampleIndex` and the named purpose (e.g. "initial",
   * "jump/unit3/stage1"). The same arguments always give the same values, and a longer request starts with
   * the values of a shorter one.
   */
  gaussian(sampleIndex: number, purpose: string, length: number): Float32Array;
  /** `length` i.i.d. uniform values in (0, 1), addressed the same way (a separate stream per purpose). */
  uniform(sampleIndex: number, purpose: string, length: number): Float64Array;
}

const TWO_PI = 2 * Math.PI;
const INV_2_32 = 1 / 4294967296;

/**
 * Gaussian noise from Philox4x32-10. Key = the seed's two 32-bit halves; counter = (block, sampleIndex,
 * FNV-1a-64 of the purpose). Each block's four words become four uniforms in (0, 1) ((w + 0.5) / 2^32) and
 * then four normals by Box-Muller (pairs (u0, u1) and (u2, u3): r cos, r sin).
 */
export class PhiloxNoise implements NoiseSource {
  readonly seed: number;
  private readonly k0: number;
  private readonly k1: number;

  constructor(seed: number) {
    if (!Number.isSafeInteger(seed) || seed < 0) {
      throw new RangeError(`seed ${seed} is not allowed: use an integer from 0 to ${Number.MAX_SAFE_INTEGER}`);
    }
    this.seed = seed;
    this.k0 = (seed % 4294967296) >>> 0;
    this.k1 = Math.floor(seed / 4294967296) >>> 0;
  }

  uniform(sampleIndex: number, purpose: string, length: number): Float64Array {
    this.check(sampleIndex, length);
    const [p0, p1] = fnv1a64(`uniform/${purpose}`);
    const out = new Float64Array(length);
    const words = new Uint32Array(4);
    const keys = roundKeys(this.k0, this.k1);
    for (let block = 0; block < Math.ceil(length / 4); block++) {
      philoxBlock(words, block, sampleIndex, p0, p1, keys);
      for (let j = 0; j < 4 && 4 * block + j < length; j++) out[4 * block + j] = (words[j] + 0.5) * INV_2_32;
    }
    return out;
  }

  private check(sampleIndex: number, length: number): void {
    if (!Number.isInteger(sampleIndex) || sampleIndex < 0 || sampleIndex > 0xffffffff) {
      throw new RangeError(`sample index ${sampleIndex} is not allowed: use an integer from 0 to 4294967295`);
    }
    if (!Number.isInteger(length) || length < 0) throw new RangeError(`noise length ${length} must be a non-negative integer`);
  }

  gaussian(sampleIndex: number, purpose: string, length: number): Float32Array {
    this.check(sampleIndex, length);
    const [p0, p1] = fnv1a64(purpose);
    const out = new Float32Array(length);
    const words = new Uint32Array(4);
    const keys = roundKeys(this.k0, this.k1);
    const blocks = Math.ceil(length / 4);
    const whole = Math.floor(length / 4);
    for (let block = 0; block < blocks; block++) {
      philoxBlock(words, block, sampleIndex, p0, p1, keys);
      const base = block * 4;
      const r0 = Math.sqrt(-2 * Math.log((words[0] + 0.5) * INV_2_32));
      const a0 = TWO_PI * ((words[1] + 0.5) * INV_2_32);
      const r1 = Math.sqrt(-2 * Math.log((words[2] + 0.5) * INV_2_32));
      const a1 = TWO_PI * ((words[3] + 0.5) * INV_2_32);
      if (block < whole) {
        out[base] = r0 * Math.cos(a0);
        out[base + 1] = r0 * Math.sin(a0);
        out[base + 2] = r1 * Math.cos(a1);
        out[base + 3] = r1 * Math.sin(a1);
      } else {
        const tail = [r0 * Math.cos(a0), r0 * Math.sin(a0), r1 * Math.cos(a1), r1 * Math.sin(a1)];
        for (let j = 0; base + j < length; j++) out[base + j] = tail[j];
      }
    }
    return out;
  }
}
