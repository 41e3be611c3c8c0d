/**
 * The one finite check used wherever numbers enter the harness (sampler outputs, sample files, statistics files,
 * streaming states): NaN and +-Infinity are refused with where they came from, never mapped to a pixel or summed.
 */

/** Index of the first NaN or infinite value, or -1 when all are finite. */
export function firstNonFinite(values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return i;
  return -1;
}

/** Throws `<where>: value i is NaN; every value must be finite` for the first non-finite value. */
export function assertFiniteValues(values: ArrayLike<number>, where: string): void {
  const i = firstNonFinite(values);
  if (i >= 0) throw new RangeError(`${where}: value ${i} is ${values[i]}; every value must be finite`);
}

/**
 * Throws for the first non-finite value of a batch of samples laid out one after another (`perSample` values
 * each), naming the sample (its index in the batch plus `firstIndex`, or `indices[k]` when given).
 */
export function assertFiniteSamples(
  values: ArrayLike<number>,
  perSample: number,
  where: string,
  indices?: readonly number[],
  firstIndex = 0,
): void {
  const i = firstNonFinite(values);
  if (i < 0) return;
  const k = Math.floor(i / perSample);
  const sample = indices?.[k] ?? firstIndex + k;
  throw new RangeError(
    `${where}: sample ${sample} holds ${values[i]} (value ${i - k * perSample} of ${perSample}); samples must be finite`,
  );
}
