import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const BIN = process.env.PG_BIN_DIR ?? '/usr/lib/postgresql/15/bin';

/**
 * Why a private PostgreSQL cannot be run here, or null when it can: the binaries must exist
 * and, since initdb refuses to run as root, a root process needs the `postgres` user.
 */
export function privatePostgresUnavailable(): string | null {
  if (!existsSync(path.join(BIN, 'initdb')) || !existsSync(path.join(BIN, 'pg_ctl'))) return `no initdb/pg_ctl in ${BIN} (set PG_BIN_DIR)`;
  if (process.getuid?.() === 0 && spawnSync('id', ['-u', 'postgres']).status !== 0) return 'running as root and there is no postgres user';
  return null;
}

/** A TCP port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface PrivatePostgres {
  url: string;
  /** Resolves once the server accepts connections (pg_ctl -w). */
  start(): Promise<void>;
  /** Fast shutdown: sessions are terminated, as in a real outage or failover. */
  stop(): Promise<void>;
  /** Freeze (SIGSTOP) or thaw (SIGCONT) the server and its backends: a stalled, not a stopped, database. */
  freeze(frozen: boolean): void;
  destroy(): void;
}

/** A PostgreSQL server of this test's own (initdb in a temp folder), on a free port. */
export async function createPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cinegraph-pg-'));
  const asRoot = process.getuid?.() === 0;
  const ids = asRoot ? { uid: Number(execFileSync('id', ['-u', 'postgres']).toString()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString()) } : {};
  if (asRoot) chownSync(dir, ids.uid!, ids.gid!);
  const data = path.join(dir, 'data');
  const port = await freePort();
  const opts = { ...ids, cwd: dir, env: { PATH: process.env.PATH ?? '' } };
  // Async, so the test's own load generator keeps running while PostgreSQL stops and starts.
  const run = async (bin: string, args: string[]) => void (await promisify(execFile)(path.join(BIN, bin), args, opts));
  const runSync = (bin: string, args: string[]) => execFileSync(path.join(BIN, bin), args, { ...opts, stdio: 'pipe' });
  await run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start: () => run('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', 'start']),
    stop: () => run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']),
    freeze(frozen) {
      const postmaster = Number(readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      // The postmaster and its direct children (backends, checkpointer…), found through /proc.
      const children = readdirSync('/proc')
        .filter((entry) => /^\d+$/.test(entry))
        .filter((pid) => {
          try {
            return (
              Number(
                readFileSync(`/proc/${pid}/stat`, 'utf8')
                  .replace(/^.*\) /, '')
                  .split(' ')[1],
              ) === postmaster
            );
          } catch {
            return false;
          }
        })
        .map(Number);
      for (const pid of [postmaster, ...children]) process.kill(pid, frozen ? 'SIGSTOP' : 'SIGCONT');
    },
    destroy() {
      try {
        runSync('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
