import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { LOCK_FILE, lockFolder } from '../../src/io/folder-lock.ts';
import { badInput, fault } from '../helpers/case-ledger.ts';

const root = mkdtempSync(path.join(tmpdir(), 'folder-lock-'));
const folder = (name: string) => {
  const d = path.join(root, name);
  mkdirSync(d, { recursive: true });
  return d;
};
const owner = (pid: number, host = hostname()) =>
  JSON.stringify({ pid, host, command: 'pyramid-bench run other.yaml', since: '2026-01-02T03:04:05.000Z', token: 'x' });
/** The pid of a process that has exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

test('the lock holds the owner and is removed on release; nested holders in one process share it', () => {
  const d = folder('a');
  const lock = lockFolder(d, 'pyramid-bench run a.yaml');
  const held = JSON.parse(readFileSync(path.join(d, LOCK_FILE), 'utf8'));
  assert.equal([held.pid, held.host, held.command], [process.pid, hostname(), 'pyramid-bench run a.yaml']);
  assert.ok(!Number.isNaN(Date.parse(held.since)));
  const inner = lockFolder(d, 'pyramid-bench report a');
  inner.release();
  assert.ok(existsSync(lock.file), 'the outer holder still holds it');
  lock.release();
  assert.not.ok(existsSync(lock.file));
});

test('a folder held by a live process is refused, naming its pid, host, start time and command', () =>
  badInput('run folders', 'a lock of a live owner', () => {
    const d = folder('b');
    writeFileSync(path.join(d, LOCK_FILE), owner(process.ppid));
    assert.throws(
      () => lockFolder(d, 'me'),
      (e: Error) =>
        e.message.includes(
          `is in use by pid ${process.ppid} on ${hostname()}, since 2026-01-02T03:04:05.000Z, running 'pyramid-bench run other.yaml'`,
        ),
    );
    assert.is(readFileSync(path.join(d, LOCK_FILE), 'utf8'), owner(process.ppid), 'the owner keeps its lock');
  }));

test('a stale lock (dead pid on this host) is reported and taken over', () =>
  fault('run folders', 'a lock left by a dead process', () => {
    const d = folder('c');
    const pid = deadPid();
    writeFileSync(path.join(d, LOCK_FILE), owner(pid));
    const notes: string[] = [];
    const lock = lockFolder(d, 'me', (l) => notes.push(l));
    assert.match(notes.join('\n'), new RegExp(`taking over a stale lock of pid ${pid} .*no longer running`));
    assert.is(JSON.parse(readFileSync(lock.file, 'utf8')).pid, process.pid);
    lock.release();
    assert.not.ok(existsSync(lock.file));
  }));

test('a lock from another host is never taken over; the error says how to remove it', () =>
  badInput('run folders', 'a lock from another host', () => {
    const d = folder('d');
    writeFileSync(path.join(d, LOCK_FILE), owner(deadPid(), 'node-17.cluster'));
    assert.throws(() => lockFolder(d, 'me'), /in use by pid \d+ on node-17\.cluster.*never taken over.*remove .*\.pyramid-bench\.lock/);
    assert.ok(existsSync(path.join(d, LOCK_FILE)));
  }));

test('under Slurm, the lock of an earlier start of the same job (requeued) is taken over from another host; not a live one of another job', () =>
  fault('run folders', "a lock left by a requeued Slurm start on another node (and another job's refused)", () => {
    const d = folder('slurm');
    const lockOf = (job: string, restart: number) =>
      JSON.stringify({ pid: process.ppid, host: 'node-3', command: 'pyramid-bench run', since: 's', token: 't', slurm: { job, restart } });
    const env = { job: process.env.SLURM_JOB_ID, restart: process.env.SLURM_RESTART_COUNT };
    process.env.SLURM_JOB_ID = '71';
    process.env.SLURM_RESTART_COUNT = '1';
    try {
      writeFileSync(path.join(d, LOCK_FILE), lockOf('70', 0));
      assert.throws(() => lockFolder(d, 'me'), /in use by pid \d+ on node-3.*never taken over/);
      writeFileSync(path.join(d, LOCK_FILE), lockOf('71', 1));
      assert.throws(() => lockFolder(d, 'me'), /in use by pid \d+ on node-3/, 'the same start: not taken over');
      writeFileSync(path.join(d, LOCK_FILE), lockOf('71', 0));
      const notes: string[] = [];
      const lock = lockFolder(d, 'me', (l) => notes.push(l));
      assert.match(
        notes.join(''),
        /taking over the lock of pid \d+ on node-3.*Slurm job 71 start 0, which Slurm has requeued \(this is start 1\)/,
      );
      assert.equal(JSON.parse(readFileSync(lock.file, 'utf8')).slurm, { job: '71', restart: 1 });
      lock.release();
    } finally {
      for (const [k, v] of [
        ['SLURM_JOB_ID', env.job],
        ['SLURM_RESTART_COUNT', env.restart],
      ] as const)
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
    }
  }));

test('an unreadable lock is refused, naming the file', () =>
  badInput('run folders', 'an unreadable lock', () => {
    const d = folder('e');
    writeFileSync(path.join(d, LOCK_FILE), '');
    assert.throws(() => lockFolder(d, 'me'), /is locked by .*\.pyramid-bench\.lock, which is unreadable/);
  }));

test('a release never removes a lock another owner took since', () =>
  fault('run folders', 'a lock replaced under its owner', () => {
    const d = folder('f');
    const lock = lockFolder(d, 'me');
    writeFileSync(lock.file, owner(process.ppid));
    lock.release();
    assert.is(readFileSync(path.join(d, LOCK_FILE), 'utf8'), owner(process.ppid));
  }));

test('SIGTERM releases the lock before the process ends', () =>
  fault('run folders', 'SIGTERM during a locked command', () => {
    const d = folder('g');
    const script = `import { writeFileSync } from 'node:fs'; import { lockFolder } from ${JSON.stringify(path.resolve('src/io/folder-lock.ts'))};
lockFolder(${JSON.stringify(d)}, 'sleeper'); writeFileSync(${JSON.stringify(path.join(root, 'locked'))}, ''); setTimeout(() => {}, 60000);`;
    const file = path.join(root, 'sleeper.ts');
    writeFileSync(file, script);
    const r = spawnSync(
      'bash',
      [
        '-c',
        `${JSON.stringify(process.execPath)} --import tsx ${file} & p=$!; while [ ! -e ${root}/locked ]; do sleep 0.05; done; kill -TERM $p; wait $p; echo rc=$?`,
      ],
      { encoding: 'utf8', timeout: 60000 },
    );
    assert.match(r.stdout, /rc=143/);
    assert.not.ok(existsSync(path.join(d, LOCK_FILE)));
  }));

test.run();
