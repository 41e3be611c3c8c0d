import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readdirSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { dryRun } from '../../src/suite/calibrate.ts';
import { planRun } from '../../src/suite/plan.ts';
import { runSuite } from '../../src/suite/runner.ts';
import { loadedSuite, rawSuite } from '../helpers/suites.ts';
import { fault } from '../helpers/case-ledger.ts';

test('a dry run prints the plan and a calibrated estimate, and writes nothing', async () => {
  const store = path.join(mkdtempSync(path.join(tmpdir(), 'dry-')), 'store');
  const run = await planRun(loadedSuite(rawSuite({ protocol: { name: 'VBench', videos: 4730 } })), {});
  const text = await dryRun(run, { shard: { index: 1, count: 3 }, storeRoot: store, calibrationSamples: 2 });
  assert.match(text, /2 methods x 96 samples in 3 chunks of 32; shard 1\/3: 1 chunks, 32 samples per method/);
  assert.match(text, /\| pyramid \| analytic:tiny-image \| pyramid \| 32 \| 0 \| [0-9.e-]+ \| \d+s \|/);
  assert.match(text, /estimated generation time: .* CPU-hours on /);
  assert.match(text, /full protocol \(4730 videos per method, VBench\): .* CPU-hours/);
  assert.is(existsSync(store), false);
});

test('a dry run reports a damaged store entry on one line, sets it aside and counts it among the samples to generate', () =>
  fault('recovery', 'a damaged store entry met by a dry run', async () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'dry-damaged-')), 'run');
    const quiet = { write: () => undefined, tty: false, now: () => performance.now() };
    const suite = loadedSuite(rawSuite({ samples: 32, chunk: 32 }));
    await runSuite(await planRun(suite, {}), {
      out,
      shard: { index: 0, count: 1 },
      progress: quiet,
      log: () => undefined,
      command: ['test'],
    });
    const samples = path.join(out, 'store', 'samples');
    const npy = readdirSync(samples, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.npy'));
    const damaged = path.join(samples, npy[0]);
    truncateSync(damaged, 0);
    const lines: string[] = [];
    const text = await dryRun(await planRun(suite, {}), {
      shard: { index: 0, count: 1 },
      storeRoot: path.join(out, 'store'),
      calibrationSamples: 1,
      log: (line) => lines.push(line),
    });
    const line = lines.find((l) => l.includes(damaged));
    assert.ok(line, lines.join(' | '));
    assert.match(line!, /^store: damaged entry \S+\.npy \(.+\); set aside as \S+\.npy\.damaged-\S+, recomputing it$/);
    assert.not.ok(existsSync(damaged));
    // 64 samples stored (2 methods x 32), one of them damaged: 1 to generate, 31 in the store for its method
    const rows = text.split('\n').filter((l) => /^\| (pyramid|cascade) \|/.test(l));
    assert.equal(
      rows
        .map((r) =>
          r
            .split('|')
            .slice(4, 6)
            .map((c) => c.trim()),
        )
        .sort(),
      [
        ['0', '32'],
        ['1', '31'],
      ],
    );
  }));

test.run();
