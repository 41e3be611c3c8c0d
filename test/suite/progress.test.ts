import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { eta, formatDuration, Progress, progressLine } from '../../src/suite/progress.ts';

test('durations and the ETA from the observed rate', () => {
  assert.is(formatDuration(42.4), '42s');
  assert.is(formatDuration(187), '3m07s');
  assert.is(formatDuration(7500), '2h05m');
  assert.is(eta(0, 10, 5), null);
  assert.is(eta(25, 100, 10), 30);
  assert.is(progressLine(50, 100, 62, 'pyramid', 10), '[#####-----] 50% 50/100 samples, 1m02s elapsed, ETA 1m02s (pyramid)');
});

test('off a terminal, a line every interval and one at the end; on a terminal, the bar redrawn in place', () => {
  let clock = 0;
  const written: string[] = [];
  const log = new Progress(10, { write: (t) => written.push(t), tty: false, now: () => clock }, 10);
  for (let i = 0; i < 10; i++) {
    clock += 3000;
    log.advance(1, 'm');
  }
  // lines at 12 s, 24 s (interval 10 s after the last line) and at the end (30 s)
  assert.equal(
    written.map((l) => l.split(' ')[2]),
    ['4/10', '8/10', '10/10'],
  );
  assert.ok(written.every((l) => l.endsWith('\n')));
  const tty: string[] = [];
  const bar = new Progress(2, { write: (t) => tty.push(t), tty: true, now: () => 0 });
  bar.advance(1, '');
  bar.finish();
  assert.ok(tty[0].startsWith('\r['));
  assert.is(tty[1], '\n');
});

test.run();
