/**
 * NumPy's legacy `np.random.RandomState`: the MT19937 generator (Matsumoto & Nishimura, 1998) with NumPy's
 * integer seeding (`mt19937_seed`, the reference `init_genrand`), and the draws the metrics need to reproduce
 * reference subsets bit for bit: `random_interval` (masked rejection, numpy/random/src/distributions), the
 * legacy `shuffle`/`permutation`, and `choice(n, m, replace=False)` = `permutation(n)[:m]` (mtrand.pyx). These
 * are what torch-fidelity (`RandomState(2020)`) and clean-fid (`np.random.choice`) use to draw KID subsets.
 */

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER = 0x80000000;
const LOWER = 0x7fffffff;

/** A seeded MT19937 stream, as `np.random.RandomState(seed)`. */
export class NumpyRandomState {
  private readonly mt = new Uint32Array(N);
  private index = N;

  /** @param seed an integer in [0, 2^32 - 1], as NumPy accepts. */
  constructor(readonly seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
      throw new RangeError(`RandomState seed ${seed} must be an integer between 0 and 2^32 - 1`);
    this.mt[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = this.mt[i - 1] ^ (this.mt[i - 1] >>> 30);
      this.mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
  }

  private twist(): void {
    const mt = this.mt;
    for (let k = 0; k < N; k++) {
      const y = (mt[k] & UPPER) | (mt[(k + 1) % N] & LOWER);
      mt[k] = mt[(k + M) % N] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    this.index = 0;
  }

  /** The next 32-bit output (genrand_int32). */
  nextUint32(): number {
    if (this.index >= N) this.twist();
    let y = this.mt[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** A uniform integer in [0, max] by masked rejection (NumPy `random_interval`, max < 2^32). */
  interval(max: number): number {
    if (max === 0) return 0;
    if (!Number.isInteger(max) || max < 0 || max > 0xffffffff)
      throw new RangeError(`interval: max ${max} must be an integer in [0, 2^32 - 1]`);
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    let value: number;
    do value = (this.nextUint32() & mask) >>> 0;
    while (value > max);
    return value;
  }

  /** `RandomState.permutation(n)`: a shuffled 0..n-1 (Fisher-Yates from the end). */
  permutation(n: number): Int32Array {
    const arr = Int32Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i >= 1; i--) {
      const j = this.interval(i);
      const t = arr[i];
      arr[i] = arr[j];
      arr[j] = t;
    }
    return arr;
  }

  /** `RandomState.choice(n, m, replace=False)`: the first m entries of a permutation of 0..n-1. */
  choiceWithoutReplacement(n: number, m: number): Int32Array {
    if (!Number.isInteger(m) || m < 0 || m > n) throw new RangeError(`choice: cannot take ${m} of ${n} items without replacement`);
    return this.permutation(n).subarray(0, m);
  }
}
