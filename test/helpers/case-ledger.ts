/**
 * The ledger of reliability cases: a test wraps each bad input it tries and each fault it injects in `badInput` or
 * `fault`, which records the attempt and, when the check inside passes, its outcome (refused cleanly; survived
 * with nothing lost). Records go, one JSON line each, to the file named by `PYRAMID_BENCH_CASES` when it is set
 * (`npm run perf -- reliability` sets it and adds them up, docs/reliability.md); otherwise nothing is written.
 */
import { appendFileSync } from 'node:fs';

/** The classes of docs/reliability.md's table. */
export type CaseClass = 'numbers' | 'paths' | 'resource limits' | 'recovery' | 'run folders' | 'scale-out' | 'model engines';

/** One record: a case tried (`ok: null`) or its outcome. */
export interface CaseRecord {
  readonly class: CaseClass;
  readonly kind: 'bad input' | 'fault';
  readonly what: string;
  readonly ok: boolean | null;
}

function record(r: CaseRecord): void {
  const file = process.env.PYRAMID_BENCH_CASES;
  if (file) appendFileSync(file, `${JSON.stringify(r)}\n`);
}

async function tryCase<T>(cls: CaseClass, kind: CaseRecord['kind'], what: string, check: () => T | Promise<T>): Promise<T> {
  record({ class: cls, kind, what, ok: null });
  try {
    const value = await check();
    record({ class: cls, kind, what, ok: true });
    return value;
  } catch (error) {
    record({ class: cls, kind, what, ok: false });
    throw error;
  }
}

/** Tries a bad input: `check` asserts that it was refused cleanly (one line naming it, nothing written). */
export function badInput<T>(cls: CaseClass, what: string, check: () => T | Promise<T>): Promise<T> {
  return tryCase(cls, 'bad input', what, check);
}

/** Injects a fault: `check` injects it and asserts that it was survived with nothing lost. */
export function fault<T>(cls: CaseClass, what: string, check: () => T | Promise<T>): Promise<T> {
  return tryCase(cls, 'fault', what, check);
}
