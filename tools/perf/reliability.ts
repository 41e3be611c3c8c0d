/**
 * `npm run perf -- reliability`: one count of every reliability case. It runs the test files that try bad inputs
 * and inject faults (RELIABILITY_TESTS) with `PYRAMID_BENCH_CASES` set, so each case they wrap in `badInput` or
 * `fault` (test/helpers/case-ledger.ts) is recorded as tried and, when its check passes, as refused cleanly or
 * survived; then it adds them up by class (docs/reliability.md's table) and prints the totals. The result
 * (reports/bench/reliability.json) holds every case, the totals and the machine. It fails when a test fails or a
 * case was tried but not refused or survived.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { describeMachine } from '../../src/core/machine.ts';
import type { CaseClass, CaseRecord } from '../../test/helpers/case-ledger.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The test files whose cases are counted (paths below test/, as scripts/run-tests.mjs filters them). */
export const RELIABILITY_TESTS: readonly string[] = [
  'io/safe-path',
  'io/folder-lock',
  'core/memory-limits',
  'metrics/stats-file',
  'metrics/frechet',
  'commands/stats',
  'commands/sample',
  'commands/data',
  'suite/run-folder',
  'suite/merge',
  'suite/generate',
  'suite/plan',
  'suite/contract/sample-store',
  'data/clip-sources',
  'vbench/aggregate',
  'vbench/manifest',
  'models/onnx/package',
  'report/markdown',
  'suite/runner',
  'suite/calibrate',
  'suite/suite-schema',
  'report/report',
  'data/video',
  'vbench/results',
  'features/extract-stats',
  'models/torch/worker',
  'models/torch/engines',
];

const CLASSES: readonly CaseClass[] = ['numbers', 'paths', 'resource limits', 'recovery', 'run folders', 'scale-out', 'model engines'];

/** Totals of one class. */
export interface ClassCount {
  readonly class: CaseClass;
  readonly badInputsTried: number;
  readonly refusedCleanly: number;
  readonly faultsInjected: number;
  readonly survived: number;
}

/** Adds up ledger records by class. */
export function countCases(records: readonly CaseRecord[]): ClassCount[] {
  return CLASSES.map((c) => {
    const of = (kind: CaseRecord['kind'], ok: boolean | null) =>
      records.filter((r) => r.class === c && r.kind === kind && r.ok === ok).length;
    return {
      class: c,
      badInputsTried: of('bad input', null),
      refusedCleanly: of('bad input', true),
      faultsInjected: of('fault', null),
      survived: of('fault', true),
    };
  });
}

/** Usage line for the benchmark registry. */
export const RELIABILITY_USAGE = 'reliability';

/** Runs the reliability tests with the ledger on and returns every case and the totals. */
export async function runReliability(argv: string[], log: (line: string) => void): Promise<unknown> {
  parseArgs({ args: argv, options: {}, strict: true });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'reliability-'));
  const ledger = path.join(dir, 'cases.jsonl');
  try {
    const filter = RELIABILITY_TESTS.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
    const run = spawnSync(process.execPath, [path.join(root, 'scripts', 'run-tests.mjs'), filter], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, PYRAMID_BENCH_CASES: ledger },
      maxBuffer: 64 * 2 ** 20,
    });
    const testLine = /(\d+) passed, (\d+) failed\s*$/.exec(run.stdout ?? '');
    let records: CaseRecord[] = [];
    try {
      records = readFileSync(ledger, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as CaseRecord);
    } catch {
      records = [];
    }
    const counts = countCases(records);
    log('| class | bad inputs tried / refused cleanly | faults injected / survived |');
    log('|---|---|---|');
    for (const c of counts) log(`| ${c.class} | ${c.badInputsTried} / ${c.refusedCleanly} | ${c.faultsInjected} / ${c.survived} |`);
    const total = (k: keyof Omit<ClassCount, 'class'>) => counts.reduce((a, c) => a + c[k], 0);
    log(
      `total: ${total('badInputsTried')} bad inputs tried, ${total('refusedCleanly')} refused cleanly; ${total('faultsInjected')} faults injected, ${total('survived')} survived (${RELIABILITY_TESTS.length} test files: ${testLine ? `${testLine[1]} tests passed, ${testLine[2]} failed` : 'no test summary'})`,
    );
    const unresolved = total('badInputsTried') - total('refusedCleanly') + total('faultsInjected') - total('survived');
    if (run.status !== 0 || unresolved > 0 || records.length === 0)
      throw new Error(
        `reliability: ${run.status !== 0 ? `the tests failed (exit ${run.status}):\n${(run.stdout ?? '').slice(-4000)}` : `${unresolved} cases were not refused or survived`}`,
      );
    return { benchmark: 'reliability', machine: describeMachine(), tests: RELIABILITY_TESTS, counts, cases: records };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
