import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { planRun } from '../../src/suite/plan.ts';
import { runSuite } from '../../src/suite/runner.ts';
import { costTable } from '../../src/analysis/cost-table.ts';
import { writeReport } from '../../src/report/report.ts';
import { loadedSuite, rawSuite } from '../helpers/suites.ts';

const quiet = { write: () => undefined, tty: false, now: () => performance.now() };

async function run(outputs: Record<string, unknown> | undefined): Promise<string> {
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'pb-cost-table-')), 'run');
  const raw = rawSuite({ samples: 8, chunk: 8, batch: 8, metrics: [{ name: 'cost' }], ...(outputs ? { outputs } : {}) });
  await runSuite(await planRun(loadedSuite(raw), {}), {
    out,
    shard: { index: 0, count: 1 },
    progress: quiet,
    log: () => undefined,
    command: ['test'],
  });
  return out;
}

test("the paper's cost table is written only when the suite asks for it, and the report then shows it", async () => {
  const plain = await run(undefined);
  assert.not.ok(existsSync(path.join(plain, 'cost-table.json')));
  assert.not.ok('costTable' in JSON.parse(readFileSync(path.join(plain, 'results.json'), 'utf8')));
  await writeReport(plain, { formats: ['svg'], videos: 0 });
  assert.not.match(readFileSync(path.join(plain, 'report.html'), 'utf8'), /Planned compute: pyramid vs full resolution vs cascade/);

  const asked = await run({ costTable: true });
  assert.equal(JSON.parse(readFileSync(path.join(asked, 'cost-table.json'), 'utf8')), JSON.parse(JSON.stringify(costTable())));
  await writeReport(asked, { formats: ['svg'], videos: 0 });
  assert.match(readFileSync(path.join(asked, 'report.html'), 'utf8'), /Planned compute: pyramid vs full resolution vs cascade/);
});

test.run();
