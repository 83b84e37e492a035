import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { tsxArgs } from './tsx.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface ExitedServer {
  code: number | null;
  ms: number;
  output: string;
  /** The output's lines, without empty ones. */
  lines: string[];
  /** The pino lines at fatal level, parsed. */
  fatal: { msg: string }[];
}

/** `npm start`'s program for a start expected to fail: resolves when it exits (or kills it after `timeoutMs`). */
export function runToExit(env: Record<string, string>, timeoutMs = 60_000): Promise<ExitedServer> {
  const started = performance.now();
  const child = spawn(process.execPath, tsxArgs('src/index.ts'), {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group: on timeout, tsx and the server it runs are killed together
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), timeoutMs);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const lines = output.split('\n').filter(Boolean);
      const fatal = lines.filter((l) => l.startsWith('{') && JSON.parse(l).level === 60).map((l) => JSON.parse(l) as { msg: string });
      resolve({ code, ms: performance.now() - started, output, lines, fatal });
    });
  });
}

/** Every file under `dir` with its size and modification time: equal listings mean nothing was written. */
export function listing(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        const s = statSync(full);
        out[path.relative(dir, full)] = `${s.size}@${s.mtimeMs}`;
      }
    }
  };
  walk(dir);
  return out;
}
