/**
 * One owner per run folder: a run, a merge or a report into a folder another live process holds is refused,
 * naming the owner; a stale lock is taken over; another suite's (or shard set's) results are refused unless
 * replaced, and replacing leaves none of the old files; merge refuses to write into one of its inputs; the lock
 * is gone after a run that throws.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOCK_FILE, lockFolder } from '../../src/io/folder-lock.ts';
import { planRun } from '../../src/suite/plan.ts';
import { runSuite } from '../../src/suite/runner.ts';
import { mergeRuns } from '../../src/suite/merge.ts';
import { readResults } from '../../src/suite/contract/results.ts';
import { OWNER_FILE } from '../../src/suite/run-folder.ts';
import { writeReport } from '../../src/report/report.ts';
import { compareCommand } from '../../src/commands/compare.ts';
import type { Shard } from '../../src/suite/contract/shard.ts';
import { loadedSuite, rawSuite } from '../helpers/suites.ts';
import { rejects } from '../helpers/assert.ts';
import { badInput, fault } from '../helpers/case-ledger.ts';

const root = mkdtempSync(path.join(tmpdir(), 'run-folder-'));
const quiet = { write: () => undefined, tty: false, now: () => performance.now() };
const dir = (name: string) => path.join(root, name);
const suite = (name: string, method: string) =>
  rawSuite({
    name,
    samples: 20,
    chunk: 10,
    methods: [{ name: method, model: 'analytic:tiny-image', sampler: 'pyramid', settings: { stepsPerStage: [2, 2, 2] } }],
    metrics: [{ name: 'cost' }],
    outputs: { samples: 'npz' },
  });
const A = suite('alpha', 'pa');
const B = suite('beta', 'pb');
const run = async (out: string, raw = A, shard: Shard = { index: 0, count: 1 }, extra: { replace?: boolean; log?: string[] } = {}) =>
  runSuite(await planRun(loadedSuite(raw), {}), {
    out: dir(out),
    shard,
    progress: quiet,
    log: (l) => extra.log?.push(l),
    command: ['pyramid-bench', 'run', out],
    replace: extra.replace,
  });
const loadedPlan = await planRun(loadedSuite(A), {});
const foreignLock = (out: string, pid: number) => {
  mkdirSync(dir(out), { recursive: true });
  writeFileSync(
    path.join(dir(out), LOCK_FILE),
    JSON.stringify({ pid, host: hostname(), command: 'pyramid-bench run other.yaml', since: '2026-01-02T03:04:05.000Z', token: 't' }),
  );
};
/** Every file under `d`, relative, sorted. */
const files = (d: string): string[] =>
  readdirSync(d, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(d, path.join(e.parentPath, e.name)))
    .sort();

test('a run into a folder another live process holds is refused, naming the owner, and writes nothing', () =>
  badInput('run folders', 'a run into a folder a live process holds', async () => {
    foreignLock('held', process.ppid);
    await rejects(
      () => run('held'),
      new RegExp(`held is in use by pid ${process.ppid} on .*, since 2026-01-02T03:04:05.000Z, running 'pyramid-bench run other\\.yaml'`),
    );
    assert.equal(readdirSync(dir('held')), [LOCK_FILE]);
  }));

test('a stale lock (its process is dead) is taken over with a note, and released after the run', () =>
  fault('run folders', 'a lock left by a dead process (run)', async () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    foreignLock('stale', dead);
    const log: string[] = [];
    await run('stale', A, undefined, { log });
    assert.match(log.join('\n'), new RegExp(`taking over a stale lock of pid ${dead} `));
    assert.ok(existsSync(path.join(dir('stale'), 'results.json')));
    assert.not.ok(existsSync(path.join(dir('stale'), LOCK_FILE)));
  }));

test('the folder is locked while a run works and released after a run that throws', () =>
  fault('run folders', 'a throw in the middle of a run', async () => {
    const seen: boolean[] = [];
    await rejects(
      () =>
        runSuite(loadedPlan, {
          out: dir('throws'),
          shard: { index: 0, count: 1 },
          progress: quiet,
          log: () => {
            seen.push(existsSync(path.join(dir('throws'), LOCK_FILE)));
            throw new Error('injected fault');
          },
          command: ['test'],
        }),
      /injected fault/,
    );
    assert.equal(seen, [true]);
    assert.not.ok(existsSync(path.join(dir('throws'), LOCK_FILE)));
    await run('throws');
    assert.ok(existsSync(path.join(dir('throws'), 'results.json')));
  }));

test('another suite into a results folder is refused; with replace, none of the old files stay', () =>
  badInput('run folders', 'another suite into a results folder', async () => {
    await run('suites', A);
    await writeReport(dir('suites'), { formats: ['svg'], videos: 0 });
    const before = files(dir('suites'));
    assert.ok(before.includes(path.join('samples', 'pa.npz')) && before.includes('report.html'), before.join(' '));
    await rejects(
      () => run('suites', B),
      /holds the results of suite 'alpha' \(hash [0-9a-f]{12}, the whole suite\); this is suite 'beta' .*--replace/,
    );
    assert.equal(files(dir('suites')), before, 'nothing written');
    const log: string[] = [];
    await run('suites', B, undefined, { replace: true, log });
    assert.match(log.join('\n'), /--replace: removed results\.json, .*report\.html, report, samples, state/);
    const after = files(dir('suites')).filter((f) => !f.startsWith(`store${path.sep}`));
    assert.ok(
      after.every((f) => !f.includes('pa') && !f.startsWith('report')),
      after.join(' '),
    );
    assert.is(readResults(dir('suites')).suite.name, 'beta');
    // the same suite again is a resumed run: allowed
    await run('suites', B);
  }));

test('a run killed before results.json leaves its owner: another suite is refused there, the same suite resumes, --replace clears it', () =>
  fault('run folders', 'a run killed before results.json, then another suite and another shard there', async () => {
    let writes = 0;
    // the fault: the run dies at its second progress line, after its first samples are stored and written out
    const dying = {
      ...quiet,
      tty: true,
      write: () => {
        if (++writes === 2) throw new Error('injected kill');
      },
    };
    const out = dir('killed');
    await rejects(
      async () =>
        runSuite(await planRun(loadedSuite(A), {}), {
          out,
          shard: { index: 0, count: 1 },
          progress: dying,
          log: () => undefined,
          command: ['test'],
        }),
      /injected kill/,
    );
    assert.not.ok(existsSync(path.join(out, 'results.json')));
    const before = files(out);
    assert.ok(before.includes(OWNER_FILE) && before.some((f) => f.startsWith(`store${path.sep}samples`)), before.join(' '));
    await rejects(
      () => run('killed', B),
      /killed: it holds the unfinished outputs \(no results\.json yet; \.pyramid-bench-suite\.json\) of suite 'alpha' \(hash [0-9a-f]{12}, the whole suite\); this is suite 'beta' .*--replace/,
    );
    await rejects(
      () => run('killed', A, { index: 1, count: 2 }),
      /unfinished outputs .* of suite 'alpha' .*the whole suite\) \(run each shard into its own --out/,
    );
    assert.equal(files(out), before, 'nothing written');
    // the same suite resumes
    await run('killed', A);
    assert.is(readResults(out).suite.name, 'alpha');
    const log: string[] = [];
    await run('killed', B, undefined, { replace: true, log });
    assert.match(log.join('\n'), /--replace: removed results\.json, .*\.pyramid-bench-suite\.json from /);
    assert.ok(files(out).every((f) => f.startsWith(`store${path.sep}`) || !f.includes('pa')));
    assert.is(JSON.parse(readFileSync(path.join(out, OWNER_FILE), 'utf8')).suite.name, 'beta');
  }));

test("outputs no owner accounts for (an older version's unfinished run) are refused unless replaced", () =>
  badInput('run folders', 'outputs no owner accounts for', async () => {
    const out = dir('unowned');
    mkdirSync(path.join(out, 'samples'), { recursive: true });
    writeFileSync(path.join(out, 'samples', 'old.jsonl'), '');
    await rejects(
      () => run('unowned', A),
      /unowned: it holds samples of an unknown suite \(neither results\.json nor \.pyramid-bench-suite\.json says which\); .*--replace/,
    );
    await run('unowned', A, undefined, { replace: true });
    assert.not.ok(existsSync(path.join(out, 'samples', 'old.jsonl')));
  }));

test('two shards of one suite into one folder: the second is refused, not written over the first', () =>
  badInput('run folders', "a second shard into a shard's folder", async () => {
    await run('shared', A, { index: 0, count: 2 });
    await rejects(
      () => run('shared', A, { index: 1, count: 2 }),
      /holds the results of suite 'alpha' .*shard 0 of 2\) \(run each shard into its own --out, then merge them\); this is suite 'alpha' .*shard 1 of 2\)/,
    );
    assert.equal(readResults(dir('shared')).shards.included, [0]);
  }));

test('merge into one of its inputs is refused before anything is written; into a held folder, naming the owner', () =>
  badInput('run folders', "merge into an input, into a held folder, into another suite's folder", async () => {
    await run('s0', A, { index: 0, count: 2 });
    await run('s1', A, { index: 1, count: 2 });
    const before = files(dir('s0'));
    const bytes = readFileSync(path.join(dir('s0'), 'results.json'));
    await rejects(
      () => mergeRuns([dir('s0'), dir('s1')], path.join(dir('s1'), '..', 's0'), { partial: false }),
      /is the input folder .*s0/,
    );
    assert.equal(files(dir('s0')), before);
    assert.ok(readFileSync(path.join(dir('s0'), 'results.json')).equals(bytes));
    foreignLock('m', process.ppid);
    await rejects(() => mergeRuns([dir('s0'), dir('s1')], dir('m'), { partial: false }), new RegExp(`in use by pid ${process.ppid} `));
    await rejects(
      () => mergeRuns([dir('s0'), dir('s1')], dir('suites'), { partial: false }),
      /holds the results of suite 'beta'.*--replace/,
    );
    const merged = await mergeRuns([dir('s0'), dir('s1')], dir('suites'), { partial: false, replace: true });
    assert.equal(merged.shards.included, [0, 1]);
    assert.not.ok(files(dir('suites')).some((f) => f.includes('pb')));
  }));

test('a report into a folder another live process holds is refused', () =>
  badInput('run folders', 'a report into a held folder', async () => {
    foreignLock(path.join('s0-report'), process.ppid);
    await rejects(
      () => writeReport(dir('s0'), { out: dir('s0-report'), formats: ['svg'], videos: 0 }),
      new RegExp(`s0-report is in use by pid ${process.ppid} `),
    );
  }));

test('compare --out into a folder another live process holds is refused, naming the owner, and writes nothing', () =>
  badInput('run folders', 'compare --out into a held folder', async () => {
    await run('cmp-a', A);
    await run('cmp-b', A);
    foreignLock('cmp-out', process.ppid);
    const before = files(dir('cmp-out'));
    const write = process.stdout.write;
    // the comparison's text on stdout is not wanted here
    process.stdout.write = (() => true) as typeof process.stdout.write;
    try {
      await rejects(
        () => compareCommand.run([dir('cmp-a'), dir('cmp-b'), '--resamples', '20', '--out', dir('cmp-out'), '--formats', 'svg']),
        new RegExp(`cmp-out is in use by pid ${process.ppid} `),
      );
      assert.equal(files(dir('cmp-out')), before, 'nothing written');
      await compareCommand.run([dir('cmp-a'), dir('cmp-b'), '--resamples', '20', '--out', dir('cmp-free'), '--formats', 'svg']);
    } finally {
      process.stdout.write = write;
    }
    assert.ok(existsSync(path.join(dir('cmp-free'), 'comparison.md')));
    assert.not.ok(existsSync(path.join(dir('cmp-free'), LOCK_FILE)), 'lock released');
  }));

test("report --out refuses another suite's report or results, and a report that does not say whose it is, unless replace", () =>
  badInput('run folders', "report --out into another suite's report, another suite's run folder, an unmarked report", async () => {
    await run('rep-a', A);
    await run('rep-b', B);
    const out = dir('rep-out');
    await writeReport(dir('rep-a'), { out, formats: ['svg'], videos: 0 });
    // the same suite's report again: replaced without asking
    await writeReport(dir('rep-a'), { out, formats: ['svg'], videos: 0 });
    const before = files(out);
    await rejects(
      () => writeReport(dir('rep-b'), { out, formats: ['svg'], videos: 0 }),
      /^report --out \S+rep-out: it holds the report of suite 'alpha' \(hash [0-9a-f]{12}, \S+\.pyramid-bench-report\.json\); this is the report of suite 'beta' .*--replace/,
    );
    await rejects(
      () => writeReport(dir('rep-b'), { out: dir('rep-a'), formats: ['svg'], videos: 0 }),
      /it holds the results of suite 'alpha'/,
    );
    assert.equal(files(out), before, 'nothing written');
    await writeReport(dir('rep-b'), { out, formats: ['svg'], videos: 0, replace: true });
    assert.is(JSON.parse(readFileSync(path.join(out, '.pyramid-bench-report.json'), 'utf8')).suite.name, 'beta');
    mkdirSync(dir('rep-unknown'));
    writeFileSync(path.join(dir('rep-unknown'), 'report.html'), '<p>made by hand</p>');
    await rejects(
      () => writeReport(dir('rep-a'), { out: dir('rep-unknown'), formats: ['svg'], videos: 0 }),
      /rep-unknown: it holds a report that does not say which suite it is of/,
    );
    assert.is(readFileSync(path.join(dir('rep-unknown'), 'report.html'), 'utf8'), '<p>made by hand</p>');
  }));

test('two CLI processes: a run into a folder this process holds exits 1 naming the owner; the next run succeeds', () =>
  badInput('run folders', 'a second CLI process into a held folder', () => {
    const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'pyramid-bench.js');
    const file = dir('cli.yaml');
    writeFileSync(
      file,
      `format: 1
name: cli
version: 1
samples: 20
chunk: 10
conditions: {kind: unconditional}
methods:
  - {name: p, model: "analytic:tiny-image", sampler: pyramid, settings: {stepsPerStage: [2, 2, 2]}}
metrics:
  - {name: cost}
`,
    );
    const cli = () => spawnSync(process.execPath, [bin, 'run', file, '--out', dir('cli'), '--no-report'], { encoding: 'utf8' });
    const lock = lockFolder(dir('cli'), 'pyramid-bench run cli.yaml (the first)');
    const second = cli();
    lock.release();
    assert.is(second.status, 1, second.stderr);
    assert.match(
      second.stderr,
      new RegExp(`cli is in use by pid ${process.pid} on .*running 'pyramid-bench run cli\\.yaml \\(the first\\)'`),
    );
    assert.not.match(second.stderr, /\n\s+at /, 'no stack trace');
    assert.not.ok(existsSync(path.join(dir('cli'), 'results.json')));
    const third = cli();
    assert.is(third.status, 0, third.stderr);
    assert.not.ok(existsSync(path.join(dir('cli'), LOCK_FILE)));
  }));

test.run();
