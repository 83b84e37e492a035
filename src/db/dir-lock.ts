import { open, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface DirLock {
  release(): Promise<void>;
}

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Exclusive lock on a data folder via an O_EXCL lock file holding our pid. A lock left by a
 * dead process is taken over; a live holder is waited for up to `waitMs`, then refused.
 * Hand-written because the popular lockfile packages depend on mtime polling and stale
 * timeouts, while a pid check answers "is the holder alive" exactly on one machine.
 */
export async function acquireDirLock(dir: string, waitMs = 5_000): Promise<DirLock> {
  const file = path.join(dir, 'cinegraph.lock');
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      let released = false;
      return {
        async release() {
          if (released) return;
          released = true;
          await unlink(file).catch(() => undefined);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10);
    // An empty/partial file means the holder is still writing its pid: wait, don't steal.
    const stale = Number.isInteger(holder) && holder !== process.pid && !alive(holder);
    if (stale) {
      await unlink(file).catch(() => undefined);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new DataDirLockedError(
        `Data folder ${dir} is in use by process ${Number.isInteger(holder) ? holder : '(unknown)'}. ` +
          'The embedded database allows one process at a time: stop the other process or set DATA_DIR to another folder.',
      );
    }
    await sleep(100);
  }
}
