// The data-folder lock's notion of a stale holder (src/db/dir-lock.ts): a pid alone is not
// enough when the server is PID 1 in a container (the same pid after every restart) or a pid
// was reused; the recorded process start time and boot id tell those apart.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { acquireDirLock, bootId, DataDirLockedError, processStartTime } from '../../src/db/dir-lock.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
function lockedDir(holder: object | string): { dir: string; file: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'cinegraph-lock-'));
  dirs.push(dir);
  const file = path.join(dir, 'cinegraph.lock');
  writeFileSync(file, typeof holder === 'string' ? holder : JSON.stringify(holder));
  return { dir, file };
}
const onLinux = existsSync('/proc/self/stat');
const linuxTest = onLinux ? test : test.skip;

test('the lock file names this process: pid, start time and boot id', async () => {
  const { dir, file } = lockedDir('');
  rmSync(file);
  const lock = await acquireDirLock(dir, 0);
  expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ pid: process.pid, startTime: processStartTime(process.pid), bootId: bootId() });
  await lock.release();
  expect(existsSync(file)).toBe(false);
});

linuxTest('a lock naming PID 1 with another start time (a container restarted after a crash) is taken over', async () => {
  const started = processStartTime(1)!;
  const { dir, file } = lockedDir({ pid: 1, startTime: String(Number(started) + 12_345), bootId: bootId() });
  const lock = await acquireDirLock(dir, 0);
  expect(JSON.parse(readFileSync(file, 'utf8')).pid).toBe(process.pid);
  await lock.release();
});

linuxTest('a lock naming a live process but recorded in another boot is taken over', async () => {
  const { dir, file } = lockedDir({ pid: process.ppid, startTime: processStartTime(process.ppid), bootId: '00000000-0000-0000-0000-000000000000' });
  const lock = await acquireDirLock(dir, 0);
  expect(JSON.parse(readFileSync(file, 'utf8')).pid).toBe(process.pid);
  await lock.release();
});

test('a lock naming our own pid, left by an earlier process with that pid, is taken over', async () => {
  const { dir, file } = lockedDir({ pid: process.pid, startTime: '1', bootId: bootId() });
  const lock = await acquireDirLock(dir, 0);
  expect(JSON.parse(readFileSync(file, 'utf8')).startTime).toBe(processStartTime(process.pid));
  await lock.release();
  // The old format (a bare pid) naming us: the same.
  const old = lockedDir(String(process.pid));
  await (await acquireDirLock(old.dir, 0)).release();
});

test('a live holder with its real start time is still refused after the wait, naming it', async () => {
  const holder = { pid: process.ppid, startTime: processStartTime(process.ppid), bootId: bootId() };
  const { dir, file } = lockedDir(holder);
  const started = Date.now();
  await expect(acquireDirLock(dir, 300)).rejects.toThrow(`Data folder ${dir} is in use by process ${process.ppid}.`);
  expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(holder);
});

linuxTest('PID 1 with its real start time is a live holder too', async () => {
  const { dir } = lockedDir({ pid: 1, startTime: processStartTime(1), bootId: bootId() });
  await expect(acquireDirLock(dir, 0)).rejects.toThrow(DataDirLockedError);
});

test('a second acquire in the process holding the lock waits and is refused, not handed the same folder', async () => {
  const { dir, file } = lockedDir('');
  rmSync(file);
  const lock = await acquireDirLock(dir, 0);
  await expect(acquireDirLock(dir, 200)).rejects.toThrow(`is in use by process ${process.pid}`);
  await lock.release();
});
