/**
 * One owner per output folder: a lock file `<dir>/.pyramid-bench.lock`, created atomically (O_CREAT|O_EXCL),
 * holding the owner's pid, host name, command and start time. A second writer gets a one-line error naming the
 * owner. A lock whose pid is dead on this host is stale (a kill -9 leaves one): it is reported and taken over. A
 * lock from another host is never taken over (unless it is an earlier start of this Slurm job, which Slurm
 * has requeued); the error says how to remove it. Locks are per process and
 * re-entrant (a command that runs a suite and then writes its report holds the folder throughout), and are
 * released by `release()`, on process exit and on SIGINT/SIGTERM.
 */
import { randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, realpathSync, renameSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';

/** The lock file's name inside the folder it guards. */
export const LOCK_FILE = '.pyramid-bench.lock';

/** What a lock file holds. */
export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly command: string;
  /** ISO 8601 time the owner took the folder. */
  readonly since: string;
  /** Random, so a release never removes another owner's lock. */
  readonly token: string;
  /** Under Slurm: the job id (`SLURM_JOB_ID`, one per array task) and how often Slurm restarted it (`SLURM_RESTART_COUNT`). */
  readonly slurm?: { readonly job: string; readonly restart: number };
}

/** A held folder lock. */
export interface FolderLock {
  /** The lock file. */
  readonly file: string;
  /** Gives the folder up (once the last nested holder in this process releases it). */
  release(): void;
}

interface Held {
  readonly file: string;
  readonly owner: LockOwner;
  count: number;
}

/** Locks this process holds, by the real path of their lock file. */
const held = new Map<string, Held>();

function describe(o: LockOwner): string {
  return `pid ${o.pid} on ${o.host}, since ${o.since}, running '${o.command}'`;
}

function readOwner(file: string): LockOwner | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const o = JSON.parse(text) as LockOwner;
    if (Number.isInteger(o.pid) && typeof o.host === 'string') return o;
  } catch {
    // an unreadable lock is still a lock: refused below
  }
  throw new Error(
    `${path.dirname(file)} is locked by ${file}, which is unreadable (${JSON.stringify(text.slice(0, 60))}); if no pyramid-bench command is writing to this folder, remove ${file}`,
  );
}

/** Whether `pid` is a live process on this host (EPERM: alive, but another user's). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function tryCreate(file: string, owner: LockOwner): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, `${JSON.stringify(owner, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Takes the stale lock `file` (whose owner `stale` was read from it) out of the way: renamed to a unique name
 * first, so that of two processes seeing the same stale lock only one removes it, and a fresh lock taken in
 * between is put back rather than removed.
 */
function setAside(file: string, stale: LockOwner): void {
  const aside = `${file}.stale.${process.pid}.${randomUUID()}`;
  try {
    renameSync(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  let moved: LockOwner | null = null;
  try {
    moved = JSON.parse(readFileSync(aside, 'utf8')) as LockOwner;
  } catch {
    // unreadable: not the stale lock we read, put back below
  }
  if (moved && moved.token === stale.token && moved.pid === stale.pid) rmSync(aside, { force: true });
  else renameSync(aside, file);
}

/**
 * Takes `dir` (created if missing) for this process, as `command`; throws if another live process holds it or
 * it is held from another host. A stale lock (dead pid, this host) is taken over and `note` says so.
 */
export function lockFolder(dir: string, command: string, note: (line: string) => void = () => undefined): FolderLock {
  mkdirSync(dir, { recursive: true });
  const file = path.join(realpathSync(dir), LOCK_FILE);
  const mine = held.get(file);
  if (mine) {
    mine.count++;
    return handle(mine);
  }
  const job = process.env.SLURM_JOB_ID;
  const slurm = job ? { job, restart: Number(process.env.SLURM_RESTART_COUNT ?? 0) || 0 } : undefined;
  const owner: LockOwner = { pid: process.pid, host: hostname(), command, since: new Date().toISOString(), token: randomUUID(), slurm };
  // handlers first: a signal between creating the file and watching would leave the lock behind
  watchSignals();
  try {
    return take(dir, file, owner, note);
  } finally {
    if (held.size === 0) unwatchSignals();
  }
}

function take(dir: string, file: string, owner: LockOwner, note: (line: string) => void): FolderLock {
  for (let attempt = 0; attempt < 5; attempt++) {
    if (tryCreate(file, owner)) {
      const h: Held = { file, owner, count: 1 };
      held.set(file, h);
      return handle(h);
    }
    const other = readOwner(file);
    if (!other) continue;
    // Slurm runs one start of a job at a time: the lock of an earlier start of this job (requeued since) is stale
    if (owner.slurm && other.slurm?.job === owner.slurm.job && other.slurm.restart < owner.slurm.restart) {
      note(
        `${dir}: taking over the lock of ${describe(other)}: Slurm job ${owner.slurm.job} start ${other.slurm.restart}, which Slurm has requeued (this is start ${owner.slurm.restart})`,
      );
      setAside(file, other);
      continue;
    }
    if (other.host !== owner.host)
      throw new Error(
        `${dir} is in use by ${describe(other)} (lock ${file}); a lock from another host is never taken over: if that command is no longer running, remove ${file}`,
      );
    // our own pid in a lock this process does not hold: left by an earlier process that had the same pid
    if (other.pid !== process.pid && processAlive(other.pid))
      throw new Error(
        `${dir} is in use by ${describe(other)} (lock ${file}); wait for it to finish, or use another --out; if that process is not a pyramid-bench command, remove ${file}`,
      );
    note(`${dir}: taking over a stale lock of ${describe(other)}: that process is no longer running`);
    setAside(file, other);
  }
  throw new Error(`${dir}: could not take the lock ${file} after 5 attempts (other processes keep taking it)`);
}

function handle(h: Held): FolderLock {
  let released = false;
  return {
    file: h.file,
    release() {
      if (released) return;
      released = true;
      if (--h.count === 0) drop(h);
    },
  };
}

/** Removes `h`'s lock file if it is still ours. */
function drop(h: Held): void {
  held.delete(h.file);
  try {
    const now = JSON.parse(readFileSync(h.file, 'utf8')) as LockOwner;
    if (now.token === h.owner.token) rmSync(h.file, { force: true });
  } catch {
    // gone or replaced: nothing of ours to remove
  }
  if (held.size === 0) unwatchSignals();
}

function releaseAll(): void {
  for (const h of [...held.values()]) drop(h);
}

function onSignal(signal: NodeJS.Signals): void {
  releaseAll();
  // no other handler: end the process as the signal would have
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

let watching = false;

function watchSignals(): void {
  if (watching) return;
  watching = true;
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.on('exit', releaseAll);
}

function unwatchSignals(): void {
  if (!watching) return;
  watching = false;
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  process.off('exit', releaseAll);
}
