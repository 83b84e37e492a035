import { readFileSync, unlinkSync } from 'node:fs';
import { open, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface DirLock {
  release(): Promise<void>;
}

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
}

/** Who holds a lock: the pid, and (Linux) when that process started and in which boot. */
interface Holder {
  pid: number;
  /** /proc/<pid>/stat field 22: clock ticks after boot. A pid reused by another process has another. */
  startTime?: string;
  /** /proc/sys/kernel/random/boot_id: after a reboot every pid names another process. */
  bootId?: string;
}

/** Lock files this process holds, so a second acquire in the same process waits instead of stealing. */
const held = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readProc(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined; // not Linux, or the process is gone
  }
}

/** Field 22 of /proc/<pid>/stat; the command name (field 2) may hold spaces and parentheses, so count after its last ')'. */
export function processStartTime(pid: number): string | undefined {
  const stat = readProc(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

export function bootId(): string | undefined {
  return readProc('/proc/sys/kernel/random/boot_id')?.trim();
}

/** The lock file's content: JSON, or a bare pid as written before start times were recorded. */
function parseHolder(text: string): Holder | undefined {
  if (/^\d+$/.test(text.trim())) return { pid: Number(text.trim()) };
  try {
    const parsed = JSON.parse(text) as Partial<Holder>;
    return Number.isInteger(parsed.pid) ? (parsed as Holder) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether the process named in a lock file is gone. A pid alone is not enough: in a container
 * the server is PID 1 after every restart, so a lock left by a crash would name a live process
 * (ourselves) forever; and after a reboot or pid wrap-around the number names someone else.
 * A recorded start time or boot id that differs from the live process's means another process.
 */
function isStale(holder: Holder, file: string): boolean {
  if (holder.pid === process.pid) return !held.has(file);
  if (!alive(holder.pid)) return true;
  const boot = bootId();
  if (holder.bootId && boot && holder.bootId !== boot) return true;
  const started = processStartTime(holder.pid);
  return Boolean(holder.startTime && started && holder.startTime !== started);
}

/**
 * Exclusive lock on a data folder via an O_EXCL lock file naming its holder (pid, process start
 * time, boot id). A lock left by a process that is gone is taken over; a live holder is waited
 * for up to `waitMs`, then refused. Hand-written: the popular lockfile packages decide staleness
 * by mtime polling and timeouts, and an OS lock (flock) needs a native addon; pid + start time +
 * boot id answers "is the holder still running" exactly on one machine, PID 1 in a container included.
 * The file is also removed when the process exits without releasing it (process.exit, an uncaught error).
 */
export async function acquireDirLock(dir: string, waitMs = 5_000): Promise<DirLock> {
  const file = path.join(dir, 'cinegraph.lock');
  const deadline = Date.now() + waitMs;
  for (;;) {
    if (!held.has(file)) {
      try {
        const handle = await open(file, 'wx');
        const self: Holder = { pid: process.pid, startTime: processStartTime(process.pid), bootId: bootId() };
        await handle.writeFile(JSON.stringify(self));
        await handle.close();
        return holdLock(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = parseHolder(await readFile(file, 'utf8').catch(() => ''));
      // An empty/partial file means the holder is still writing: wait, don't steal.
      if (holder && isStale(holder, file)) {
        await unlink(file).catch(() => undefined);
        continue;
      }
      if (Date.now() >= deadline) throw lockedError(dir, holder?.pid);
    } else if (Date.now() >= deadline) {
      throw lockedError(dir, process.pid);
    }
    await sleep(100);
  }
}

function lockedError(dir: string, pid: number | undefined) {
  return new DataDirLockedError(
    `Data folder ${dir} is in use by process ${pid ?? '(unknown)'}. ` +
      'The embedded database allows one process at a time: stop the other process or set DATA_DIR to another folder.',
  );
}

function holdLock(file: string): DirLock {
  held.add(file);
  const onExit = () => {
    if (!held.delete(file)) return;
    try {
      unlinkSync(file);
    } catch {
      // already gone
    }
  };
  process.once('exit', onExit);
  return {
    async release() {
      if (!held.delete(file)) return;
      process.removeListener('exit', onExit);
      await unlink(file).catch(() => undefined);
    },
  };
}
