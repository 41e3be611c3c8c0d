import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { planRun } from '../../src/suite/plan.ts';
import { runSuite } from '../../src/suite/runner.ts';
import { stateFilePath } from '../../src/suite/contract/state-file.ts';
import { mergeRuns } from '../../src/suite/merge.ts';
import { readResults } from '../../src/suite/contract/results.ts';
import { loadedSuite, rawSuite } from '../helpers/suites.ts';
import { rejects } from '../helpers/assert.ts';
import type { RunPlan } from '../../src/suite/plan.ts';
import type { MachineFingerprint } from '../../src/suite/contract/records.ts';
import { badInput } from '../helpers/case-ledger.ts';

const root = mkdtempSync(path.join(tmpdir(), 'merge-'));
const quiet = { write: () => undefined, tty: false, now: () => performance.now() };
const raw = rawSuite({
  samples: 40,
  chunk: 10,
  methods: [{ name: 'p', model: 'analytic:tiny-image', sampler: 'pyramid', settings: { stepsPerStage: [2, 2, 2] } }],
  metrics: [{ name: 'cost' }],
});
const dir = (name: string) => path.join(root, name);

test('shard folders from differing runs, repeated or missing shards are refused, naming why', () =>
  badInput('scale-out', 'shards from differing runs, repeated or missing shards (merge)', async () => {
    for (const i of [0, 1])
      await runSuite(await planRun(loadedSuite(raw), {}), {
        out: dir(`s${i}`),
        shard: { index: i, count: 2 },
        progress: quiet,
        log: () => undefined,
        command: [],
      });
    await rejects(
      () => mergeRuns([dir('s0')], dir('m'), { partial: false }),
      /shards 1 of 2 are missing; give every shard's folder, or --partial/,
    );
    const partial = await mergeRuns([dir('s0')], dir('p'), { partial: true });
    assert.ok(partial.partial);
    assert.equal(partial.methods[0].samples, 20);
    await rejects(() => mergeRuns([dir('s0'), dir('s0')], dir('m'), { partial: false }), /shard 0 is in both/);

    cpSync(dir('s1'), dir('seed'), { recursive: true });
    const results = JSON.parse(readFileSync(path.join(dir('seed'), 'results.json'), 'utf8'));
    results.locked.seed = 5;
    writeFileSync(path.join(dir('seed'), 'results.json'), JSON.stringify(results));
    await rejects(
      () => mergeRuns([dir('s0'), dir('seed')], dir('m'), { partial: false }),
      /their locked settings differ:\n {2}seed: 0 vs 5/,
    );
    results.locked.seed = 0;
    results.suite.hash = 'f'.repeat(64);
    writeFileSync(path.join(dir('seed'), 'results.json'), JSON.stringify(results));
    await rejects(() => mergeRuns([dir('s0'), dir('seed')], dir('m'), { partial: false }), /the suite changed between them/);

    cpSync(dir('s1'), dir('gone'), { recursive: true });
    rmSync(stateFilePath(dir('gone'), 'p', 'cost', 'samples'));
    await rejects(() => mergeRuns([dir('s0'), dir('gone')], dir('m'), { partial: false }), /cost\.samples\.npz is missing/);
    assert.equal((await mergeRuns([dir('s0'), dir('s1')], dir('m'), { partial: false })).methods[0].samples, 40);
  }));

test('a tampered shard whose method slug leaves the folder is refused before merge reads or writes anything outside --out', () =>
  badInput('paths', "a tampered shard's slug (merge)", async () => {
    // a box holding two shard copies and the merge's --out; the slug points two levels up, where the attacker plants files
    const box = path.join(root, 'tampered');
    for (const i of [0, 1]) {
      cpSync(dir(`s${i}`), path.join(box, 'in', `s${i}`), { recursive: true });
      const file = path.join(box, 'in', `s${i}`, 'results.json');
      const results = JSON.parse(readFileSync(file, 'utf8'));
      results.methods[0].slug = '../../evil';
      writeFileSync(file, JSON.stringify(results));
    }
    // what the old code read through the slug: <shard>/state/../../evil/ and <shard>/samples/../../evil.jsonl
    cpSync(path.join(dir('s0'), 'state', 'p'), path.join(box, 'in', 'evil'), { recursive: true });
    cpSync(path.join(dir('s0'), 'samples', 'p.jsonl'), path.join(box, 'in', 'evil.jsonl'));
    mkdirSync(path.join(box, 'out'));
    const before = readdirSync(box, { recursive: true }).sort();
    await rejects(
      () => mergeRuns([path.join(box, 'in', 's0'), path.join(box, 'in', 's1')], path.join(box, 'out', 'm'), { partial: false }),
      /^slug of method 0 in .*s0\/results\.json is "\.\.\/\.\.\/evil"; allowed: a plain file name/,
    );
    assert.equal(readdirSync(box, { recursive: true }).sort(), before);
  }));

test('shards from two machines merge into device-hours per machine, and no frames/s that neither measured', async () => {
  const timed = rawSuite({ ...raw, metrics: [{ name: 'throughput', options: { warmup: 0, repeats: 2, bootstrap: 20 } }] });
  const machines: MachineFingerprint[] = [
    { id: '1111111111111111', name: 'GPU one', hoursUnit: 'GPU-hours' },
    { id: '2222222222222222', name: 'GPU two', hoursUnit: 'GPU-hours' },
  ];
  const onMachine = (run: RunPlan, machine: MachineFingerprint): RunPlan => ({
    ...run,
    fingerprint: machine,
    methods: run.methods.map((m) => ({ ...m, context: { ...m.context, machines: [machine] } })),
  });
  for (const i of [0, 1])
    await runSuite(onMachine(await planRun(loadedSuite(timed), {}), machines[i]), {
      out: dir(`t${i}`),
      shard: { index: i, count: 2 },
      progress: quiet,
      log: () => undefined,
      command: [],
    });
  const merged = await mergeRuns([dir('t1'), dir('t0')], dir('tm'), { partial: false });
  assert.equal(merged.machines, machines);
  const get = (k: string) => merged.methods[0].metrics.throughput.values.find((v) => v.key === k)!;
  assert.is(get('framesPerSecond').value, null);
  assert.match(
    get('framesPerSecond').note!,
    /the shards generated on 2 machines \(20 videos in [0-9.e-]+ GPU-hours on GPU (one|two) \[\d+\], 20 videos in [0-9.e-]+ GPU-hours on GPU (one|two) \[\d+\]\)/,
  );
  assert.is(get('deviceHours').unit, 'GPU-hours (GPU one + GPU two)');
  assert.ok(get('deviceHours').value! > 0);
  assert.is(get('samplesFromOtherMachines').value, 0);
  // each shard's own results time its own machine's samples
  const shard = readResults(dir('t1')).methods[0].metrics.throughput.values.find((v) => v.key === 'framesPerSecond')!;
  assert.ok(shard.value! > 0);
});

test.run();
