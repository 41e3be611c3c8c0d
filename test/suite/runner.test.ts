import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { planRun } from '../../src/suite/plan.ts';
import { runSuite } from '../../src/suite/runner.ts';
import { stateFilePath } from '../../src/suite/contract/state-file.ts';
import { mergeRuns } from '../../src/suite/merge.ts';
import { deterministicValues, readResults } from '../../src/suite/contract/results.ts';
import type { Shard } from '../../src/suite/contract/shard.ts';
import { loadedSuite, rawSuite } from '../helpers/suites.ts';
import { writeTextPackage } from '../helpers/text-package.ts';
import { readSampleRows } from '../../src/suite/contract/sample-rows.ts';
import type { RunPlan } from '../../src/suite/plan.ts';
import type { MachineFingerprint } from '../../src/suite/contract/records.ts';
import { badInput, fault } from '../helpers/case-ledger.ts';

const root = mkdtempSync(path.join(tmpdir(), 'runner-'));
const quiet = { write: () => undefined, tty: false, now: () => performance.now() };
const run = async (out: string, shard: Shard = { index: 0, count: 1 }) =>
  runSuite(await planRun(loadedSuite(), {}), {
    out: path.join(root, out),
    shard,
    progress: quiet,
    log: () => undefined,
    command: ['test'],
  });

test('a run writes results with units, directions and uncertainties, per-sample files, state files and a manifest', async () => {
  const { results, manifest } = await run('a');
  const dir = path.join(root, 'a');
  assert.equal(
    results.methods.map((m) => [m.id, m.samples]),
    [
      ['pyramid', 96],
      ['cascade', 96],
    ],
  );
  for (const m of results.methods) {
    assert.equal(Object.keys(m.metrics), ['fd-pixel', 'cost', 'throughput']);
    for (const v of Object.values(m.metrics).flatMap((r) => r.values)) {
      assert.ok(['lower', 'higher', 'none'].includes(v.direction) && typeof v.unit === 'string' && v.uncertainty.kind.length > 0, v.key);
    }
  }
  const fd = results.methods[0].metrics['fd-pixel'].values[0];
  assert.ok(fd.uncertainty.kind === 'stderr' && fd.uncertainty.n === 3, JSON.stringify(fd));
  assert.equal(results.methods[1].metrics.cost.values[0].value, 9);
  assert.ok(existsSync(path.join(dir, 'results.md')) && existsSync(path.join(dir, 'samples', 'cascade.csv')));
  assert.ok(existsSync(stateFilePath(dir, 'pyramid', 'fd-pixel', 'second')));
  assert.equal(readSampleRows(dir, 'pyramid').length, 96);
  assert.equal(manifest.store.counts.samples, { hits: 0, misses: 192, writes: 192 });
  assert.is(manifest.suite.name, 'test');
  assert.match(manifest.git.commit ?? '', /^[0-9a-f]{40}$/);
  assert.is(JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')).schema, 'pyramid-bench/manifest@1');
});

test('run again: every sample, state and timing is read back, nothing is computed, and results.json is the same bytes', async () => {
  const before = readFileSync(path.join(root, 'a', 'results.json'));
  const { manifest } = await run('a');
  assert.equal(manifest.store.counts.samples, { hits: 192, misses: 0, writes: 0 });
  assert.is(manifest.store.counts.states.writes, 0);
  assert.is(manifest.store.counts.timings.writes, 0);
  assert.ok(readFileSync(path.join(root, 'a', 'results.json')).equals(before));
});

test('two shards, each with its own store, merge to the values of the single run', async () => {
  const s0 = await run('s0', { index: 0, count: 2 });
  const s1 = await run('s1', { index: 1, count: 2 });
  assert.equal([s0.results.chunks.included, s1.results.chunks.included], [[0, 2], [1]]);
  assert.ok(s0.results.partial && s1.results.partial);
  assert.is(s1.results.methods[0].metrics.throughput.values[0].value, null);
  const merged = await mergeRuns([path.join(root, 's1'), path.join(root, 's0')], path.join(root, 'm'), { partial: false });
  const single = readResults(path.join(root, 'a'));
  assert.equal(deterministicValues(merged), deterministicValues(single));
  assert.is(merged.partial, false);
  assert.equal(merged.shards.included, [0, 1]);
  const strip = (rows: ReturnType<typeof readSampleRows>) => rows.map(({ generationSeconds: _, ...r }) => r);
  assert.equal(strip(readSampleRows(path.join(root, 'm'), 'cascade')), strip(readSampleRows(path.join(root, 'a'), 'cascade')));
  // the merged folder merges again to the same results
  const again = await mergeRuns([path.join(root, 'm')], path.join(root, 'm2'), { partial: false });
  assert.equal(deterministicValues(again), deterministicValues(single));
});

test('damaged store entries (zero-byte values, truncated state and timing) are reported by path, set aside and recomputed to the same values', () =>
  fault('recovery', 'damaged store entries met by a run (zero-byte values, truncated state, truncated timing)', async () => {
    const out = path.join(root, 'damaged');
    const first = await run('damaged');
    const store = path.join(out, 'store');
    const files = (kind: string, ext: string) =>
      readdirSync(path.join(store, kind), { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith(ext))
        .map((f) => path.join(store, kind, f));
    const npy = files('samples', '.npy')[0];
    const npz = files('states', '.npz')[0];
    const timing = files('timings', '.json')[0];
    truncateSync(npy, 0);
    truncateSync(npz, 40);
    writeFileSync(timing, '{"warmup":');
    const lines: string[] = [];
    const again = await runSuite(await planRun(loadedSuite(), {}), {
      out,
      shard: { index: 0, count: 1 },
      progress: quiet,
      log: (line) => lines.push(line),
      command: ['test'],
    });
    for (const file of [npy, npz, timing]) {
      assert.ok(
        lines.some((l) => l.includes(`damaged entry ${file}`)),
        `${file} not reported in:\n${lines.join('\n')}`,
      );
      assert.ok(existsSync(file), `${file} recomputed`);
      assert.ok(
        readdirSync(path.dirname(file)).some((f) => f.startsWith(`${path.basename(file)}.damaged-`)),
        `${file} set aside`,
      );
    }
    assert.equal(again.manifest.store.counts.samples.writes, 1);
    assert.equal(deterministicValues(again.results), deterministicValues(first.results));
    // the third run reads everything back
    const third = await run('damaged');
    assert.equal(third.manifest.store.counts.samples, { hits: 192, misses: 0, writes: 0 });
  }));

test('a shard with no chunks is refused, naming how many shards the suite allows', () =>
  badInput('scale-out', 'a shard with no chunks', async () => {
    let error: Error | undefined;
    await run('empty', { index: 3, count: 4 }).catch((e: Error) => (error = e));
    assert.match(error?.message ?? '', /shard 3\/4 has no chunks: suite 'test' has 3 chunks of 32 samples; use at most 3 shards/);
  }));

test('an ONNX text-to-video package: prompts through its embedding table, its decoder, its defaults, VBench file names', async () => {
  const pkg = writeTextPackage(path.join(root, 'pkg'), ['a red disk', 'a blue square']);
  const raw = rawSuite({
    samples: undefined,
    chunk: 2,
    batch: 2,
    conditions: { kind: 'prompts', file: 'prompts.txt', samplesPerPrompt: 2 },
    reference: { source: 'none' },
    args: { model: { description: 'a text-to-video package' } },
    methods: [{ name: 'pyramid', model: { $arg: 'model' }, sampler: 'pyramid' }],
    metrics: [{ name: 'cost' }, { name: 'throughput', options: { warmup: 0, repeats: 2, bootstrap: 20 } }],
    outputs: { videos: { format: 'mp4', naming: '{prompt}-{repeat}' } },
  });
  const plan = await planRun(loadedSuite(raw, ['a red disk', 'a blue square']), { model: `onnx:${pkg}` });
  const out = path.join(root, 'text');
  const { results, manifest } = await runSuite(plan, {
    out,
    shard: { index: 0, count: 1 },
    progress: quiet,
    log: () => undefined,
    command: [],
  });
  const m = results.methods[0];
  // decoded RGB samples; the package's guidance and steps under the suite's (absent) ones
  assert.equal(m.shape, [3, 3, 8, 8]);
  assert.equal(m.guidance, { firstFrame: 2, video: 1.5 });
  assert.equal((m.settings as { stepsPerStage: number[]; videoStepsPerStage: number[] }).stepsPerStage, [2, 2, 2]);
  // 3 stages x 2 steps for the first frame, 3 x 1 for each of 2 later frames, all guided (x2)
  assert.is(m.metrics.cost.values.find((v) => v.key === 'nfe')!.value, 2 * (6 + 3 + 3));
  assert.ok(m.metrics.throughput.values.some((v) => v.key === 'decodeMs'));
  assert.equal(
    readSampleRows(out, 'pyramid').map((r) => [r.prompt, r.repeat]),
    [
      ['a red disk', 0],
      ['a red disk', 1],
      ['a blue square', 0],
      ['a blue square', 1],
    ],
  );
  for (const name of ['a red disk-0', 'a red disk-1', 'a blue square-0', 'a blue square-1'])
    assert.ok(existsSync(path.join(out, 'videos', 'pyramid', `${name}.mp4`)), name);
  // provenance: the package's guidance and negative prompt kept, the official prompt suffix applied
  assert.equal(manifest.officialDefaults?.methods, [
    {
      id: 'pyramid',
      guidanceSource: 'package',
      guidanceGiven: { firstFrame: 2, video: 1.5 },
      guidance: { firstFrame: 2, video: 1.5 },
      text: { negativePrompt: { text: 'bad', source: 'package' }, promptSuffix: ', hyper quality, Ultra HD, 8K' },
    },
  ]);
  assert.is(manifest.officialDefaults?.enabled, true);
  assert.match(manifest.models[0].device.runtime, /^onnxruntime-node [0-9.]+, CPU execution provider$/);
  assert.match(manifest.device.reason, /onnxruntime-node [0-9.]+, CPU execution provider/);
});

/** `run` as if planned on another machine: its fingerprint, stamped on what it generates and counted as its own. */
const onMachine = (run: RunPlan, machine: MachineFingerprint): RunPlan => ({
  ...run,
  fingerprint: machine,
  methods: run.methods.map((m) => ({ ...m, context: { ...m.context, machines: [machine] } })),
});

test("a run that reuses another machine's stored samples reports throughput only from its own generations", async () => {
  const raw = rawSuite({
    samples: 40,
    chunk: 10,
    methods: [{ name: 'p', model: 'analytic:tiny-image', sampler: 'pyramid', settings: { stepsPerStage: [2, 2, 2] } }],
    metrics: [{ name: 'throughput', options: { warmup: 0, repeats: 2, bootstrap: 20 } }],
  });
  const store = path.join(root, 'shared-store');
  const other: MachineFingerprint = { id: '0123456789abcdef', name: 'NVIDIA A100 (elsewhere)', hoursUnit: 'GPU-hours' };
  // another machine fills the shared store with shard 0 of 2 (chunks 0 and 2)
  await runSuite(onMachine(await planRun(loadedSuite(raw), {}), other), {
    out: path.join(root, 'elsewhere'),
    storeRoot: store,
    shard: { index: 0, count: 2 },
    progress: quiet,
    log: () => undefined,
    command: ['test'],
  });
  const { results } = await runSuite(await planRun(loadedSuite(raw), {}), {
    out: path.join(root, 'here'),
    storeRoot: store,
    shard: { index: 0, count: 1 },
    progress: quiet,
    log: () => undefined,
    command: ['test'],
  });
  const values = results.methods[0].metrics.throughput.values;
  const get = (k: string) => values.find((v) => v.key === k)!;
  assert.is(get('samplesFromOtherMachines').value, 20);
  assert.match(get('framesPerSecond').label, /over 20 videos generated on this machine/);
  assert.match(
    get('framesPerSecond').note!,
    /20 of 40 samples were read from the store as generated on other machines \(20 on NVIDIA A100 \(elsewhere\) \[0123456789abcdef\]\)/,
  );
  // frames/s is this machine's 20 samples: their frames over their own seconds
  const rows = readSampleRows(path.join(root, 'here'), 'p');
  const own = rows.filter((r) => r.index % 20 >= 10);
  const seconds = own.reduce((a, r) => a + r.generationSeconds, 0);
  assert.ok(
    Math.abs(get('framesPerSecond').value! - own.length / seconds) < 1e-9 * get('framesPerSecond').value!,
    `${get('framesPerSecond').value} vs ${own.length / seconds}`,
  );
  assert.equal(results.machines, [results.machines![0]]);
  assert.is.not(results.machines![0].id, other.id);
  // the same store read entirely by a third machine: nothing of its own to time
  const { results: third } = await runSuite(
    onMachine(await planRun(loadedSuite(raw), {}), { ...other, id: 'fedcba9876543210', name: 'third' }),
    {
      out: path.join(root, 'third'),
      storeRoot: store,
      shard: { index: 1, count: 2 },
      progress: quiet,
      log: () => undefined,
      command: ['test'],
    },
  );
  const fps = third.methods[0].metrics.throughput.values.find((v) => v.key === 'framesPerSecond')!;
  assert.is(fps.value, null);
  assert.match(fps.note!, /^no sample was generated on this machine: 20 of 20 samples were read from the store/);
});

test.run();
