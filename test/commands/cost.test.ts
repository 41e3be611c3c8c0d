import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = (...args: string[]) =>
  spawnSync(process.execPath, [path.join(root, 'bin', 'pyramid-bench.js'), ...args], { cwd: root, encoding: 'utf8' });

test('cost --json: the paper settings and the check row; a configuration from options; bad options named', () => {
  const paper = JSON.parse(cli('cost', '--json').stdout);
  assert.equal(
    paper.rows.map((r: { config: { name: string } }) => r.config.name),
    ['384p, 5 s', '384p, 10 s', '768p, 5 s', '768p, 10 s', 'check: 1 frame, [20, 20, 20], no guidance'],
  );
  assert.is(paper.equalStepsTokenShare, 0.4375);
  const custom = cli(
    'cost',
    '--height',
    '32',
    '--width',
    '32',
    '--frames',
    '4',
    '--steps',
    '5,5,5',
    '--video-steps',
    '5,5,5',
    '--guidance',
    '1',
    '--hidden',
    '64',
    '--depth',
    '2',
  );
  assert.is(custom.status, 0, custom.stderr);
  assert.match(custom.stdout, /\| custom \| 4 x 32 x 32 \|/);
  assert.match(custom.stdout, /2 blocks of width 64/);
  const bad = cli('cost', '--steps', '5,5');
  assert.is(bad.status, 2);
  assert.match(bad.stderr, /--steps is '5,5'; allowed: 3 comma-separated integers/);
  assert.match(cli('cost', '--height', '30').stderr, /--height 30 and --width 160 must be multiples of 4/);
});

test.run();
