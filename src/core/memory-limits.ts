/**
 * What one process of this machine can hold, checked before a size from a suite or the command line is
 * allocated, so that a huge count is refused with the field that asked for it instead of exhausting the heap
 * (exit 134) or failing with a bare "Invalid array length". The limits are documented in docs/reliability.md
 * ("Resource limits").
 */
import { constants } from 'node:buffer';
import { totalmem } from 'node:os';

/** The fraction of the machine's memory (`os.totalmem()`) one held tensor or data set may take. */
export const MEMORY_FRACTION = 0.5;

/** The most bytes one typed array (or Buffer) can have in this Node.js (`buffer.constants.MAX_LENGTH`). */
export const TYPED_ARRAY_MAX_BYTES = constants.MAX_LENGTH;

/**
 * The most samples a suite method (or a `sample`/`data` call) may ask for: planning keeps one item and one store
 * key per sample, and a run one result row per sample, so the count bounds the planner's memory and time.
 */
export const MAX_SAMPLES = 250_000;

const gib = (bytes: number) => `${(bytes / 2 ** 30).toPrecision(3)} GiB`;

/**
 * Throws when `bytes` (what `what` implies, asked for by `where`) cannot be held: more than `MEMORY_FRACTION`
 * of this machine's memory, or more than one typed array can hold. `make` builds the error (a usage or schema
 * error of the caller's kind) from the message.
 *
 * @param bytes bytes the setting implies
 * @param where the field or option that asked, e.g. "suite.yaml.chunk" or "--n"
 * @param what how the bytes come about, e.g. "128 samples of [3, 16, 64, 64] float32 held in memory"
 */
export function checkAllocation(
  bytes: number,
  where: string,
  what: string,
  make: (message: string) => Error = (m) => new RangeError(m),
): void {
  const memory = totalmem();
  const allowed = Math.min(memory * MEMORY_FRACTION, TYPED_ARRAY_MAX_BYTES);
  if (!(bytes <= allowed)) {
    const by =
      allowed === TYPED_ARRAY_MAX_BYTES
        ? `the ${gib(TYPED_ARRAY_MAX_BYTES)} one typed array can hold`
        : `${MEMORY_FRACTION * 100}% of this machine's ${gib(memory)} memory`;
    throw make(`${where}: ${what} needs ${gib(bytes)}; allowed: at most ${gib(allowed)} (${by}); lower it`);
  }
}

/** Bytes of `count` float32 tensors of `shape`. */
export function float32Bytes(count: number, shape: readonly number[]): number {
  return count * shape.reduce((a, b) => a * b, 1) * 4;
}
