/** Selection without a full sort. */

/** The largest value of `values` at rank `k` (1-based: k = 1 is the maximum). Reorders `values`. O(n) on average. */
export function kthLargest(values: Float32Array | Float64Array, k: number): number {
  const n = values.length;
  if (!Number.isInteger(k) || k < 1 || k > n) throw new RangeError(`kthLargest: rank ${k} is outside 1..${n}`);
  // Hoare partition around a median-of-three value, descending; handles runs of equal values in linear time
  let lo = 0;
  let hi = n - 1;
  const target = k - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const a = values[lo];
    const b = values[mid];
    const c = values[hi];
    const pivot = a > b ? (b > c ? b : a > c ? c : a) : a > c ? a : b > c ? c : b;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] > pivot) i++;
      while (values[j] < pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return values[target];
  }
  return values[target];
}
