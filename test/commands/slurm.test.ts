import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { parsableJobId, shellQuote, slurmJobFiles, type SlurmJobOptions } from '../../src/commands/slurm.ts';
import { rawSuite } from '../helpers/suites.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = path.join(root, 'bin', 'pyramid-bench.js');
const cli = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8' });

const options: SlurmJobOptions = {
  suite: '/work/suites/my suite.yaml',
  shards: 3,
  out: '/scratch/runs/a',
  store: '/scratch/store',
  workdir: '/work',
  bin: '/opt/pyramid-bench/bin/pyramid-bench.js',
  args: { model: "onnx:/models/t2v's" },
  partition: 'gpu',
  time: '04:00:00',
  maxRunning: null,
};

test('slurmJobFiles: the array runs shard $SLURM_ARRAY_TASK_ID/N into its own folder with the shared store, requeued', () => {
  const { array } = slurmJobFiles(options);
  const lines = array.split('\n');
  assert.is(lines[0], '#!/bin/bash');
  for (const line of [
    '#SBATCH --array=0-2',
    '#SBATCH --requeue',
    '#SBATCH --open-mode=append',
    '#SBATCH --output="/scratch/runs/a/logs/shard-%a.log"',
    '#SBATCH --partition=gpu',
    '#SBATCH --time=04:00:00',
    'cd /work',
  ])
    assert.ok(lines.includes(line), `missing line: ${line}\n${array}`);
  assert.ok(
    lines.includes(
      `exec node /opt/pyramid-bench/bin/pyramid-bench.js run '/work/suites/my suite.yaml' --arg 'model=onnx:/models/t2v'\\''s' --shard "\${SLURM_ARRAY_TASK_ID}/3" --out /scratch/runs/a/shard-"\${SLURM_ARRAY_TASK_ID}" --store /scratch/store`,
    ),
    array,
  );
  // every #SBATCH line comes before the first command (sbatch stops reading them there)
  const firstCommand = lines.findIndex((l) => l !== '' && !l.startsWith('#'));
  assert.ok(lines.slice(firstCommand).every((l) => !l.startsWith('#SBATCH')));
  assert.ok(slurmJobFiles({ ...options, maxRunning: 2 }).array.includes('#SBATCH --array=0-2%2\n'));
  const bare = slurmJobFiles({ ...options, partition: null, time: null }).array;
  assert.not.match(bare, /--partition|--time/);
});

test('slurmJobFiles: the merge job merges every shard folder into <out>/merged', () => {
  const { merge } = slurmJobFiles(options);
  assert.ok(
    merge
      .split('\n')
      .includes(
        'exec node /opt/pyramid-bench/bin/pyramid-bench.js merge /scratch/runs/a/shard-0 /scratch/runs/a/shard-1 /scratch/runs/a/shard-2 --out /scratch/runs/a/merged',
      ),
    merge,
  );
  assert.match(merge, /#SBATCH --output="\/scratch\/runs\/a\/logs\/merge.log"/);
  assert.match(merge, /#SBATCH --partition=gpu\n#SBATCH --time=04:00:00\n/);
});

test('the generated files are valid bash; shellQuote survives a round trip through bash', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pb-slurm-'));
  try {
    const files = slurmJobFiles(options);
    for (const [name, text] of Object.entries(files)) {
      writeFileSync(path.join(dir, name), text);
      const r = spawnSync('bash', ['-n', path.join(dir, name)], { encoding: 'utf8' });
      assert.is(r.status, 0, `${name}: ${r.stderr}`);
    }
    for (const word of ["it's", 'a b', '$HOME', '`x`', 'plain/path-1.yaml', '']) {
      const r = spawnSync('bash', ['-c', `printf %s ${shellQuote(word)}`], { encoding: 'utf8' });
      assert.is(r.stdout, word);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("parsableJobId: sbatch --parsable's '<id>' or '<id>;<cluster>'; anything else refused", () => {
  assert.is(parsableJobId('42\n'), '42');
  assert.is(parsableJobId('42;cluster\n'), '42');
  assert.throws(() => parsableJobId('Submitted batch job 42'), /not a job id/);
});

test('slurm command: writes array.sbatch and merge.sbatch; bad options named (needs dist/: npm run build)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pb-slurm-'));
  try {
    const suite = path.join(dir, 'suite.yaml');
    writeFileSync(suite, stringify(rawSuite())); // 96 samples in 3 chunks
    const out = path.join(dir, 'runs');
    const ok = cli('slurm', suite, '--shards', '3', '--out', out, '--time', '30');
    assert.is(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /sbatch --parsable .*array\.sbatch\) && sbatch --dependency=afterok:\$jobid .*merge\.sbatch/);
    const array = readFileSync(path.join(out, 'array.sbatch'), 'utf8');
    assert.match(array, /#SBATCH --array=0-2\n/);
    assert.ok(array.includes(`--store ${out}/store`), array);
    assert.ok(array.includes(`run ${suite} --shard`), array);
    assert.match(readFileSync(path.join(out, 'merge.sbatch'), 'utf8'), /merge .*shard-0 .*shard-1 .*shard-2 --out .*merged/);
    const refused: [string[], RegExp][] = [
      [['--shards', '4'], /--shards is 4, but suite .* has 3 chunks .*allowed: 1 to 3 shards/],
      [['--shards', '0'], /--shards is '0'; allowed: an integer >= 1/],
      [['--shards', '2', '--time', '4h'], /--time is '4h'; allowed: Slurm's formats/],
      [['--shards', '2', '--partition', 'a b'], /--partition is 'a b'/],
      [['--shards', '2', '--max-running', 'x'], /--max-running is 'x'/],
    ];
    for (const [extra, message] of refused) {
      const r = cli('slurm', suite, '--out', out, ...extra);
      assert.is(r.status, 2, `${extra.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.not.match(r.stderr, /\n\s+at /);
    }
    const percent = cli('slurm', suite, '--shards', '2', '--out', path.join(dir, '100%'));
    assert.is(percent.status, 2);
    assert.match(percent.stderr, /--out is ".*100%"; it holds "%", which an #SBATCH line cannot carry/);
    const missing = cli('slurm', suite, '--out', out);
    assert.match(missing.stderr, /--shards is required/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
