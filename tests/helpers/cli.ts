import { spawn } from 'node:child_process';
import path from 'node:path';
import { tsxArgs } from './tsx.ts';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout's pino JSON lines, parsed (non-JSON lines skipped). */
  logs: Record<string, unknown>[];
}

/**
 * Run `npm run db:migrate`'s program (minus the generate step, which the test run has done)
 * in a child process. `env` is laid over this process's environment; pass DATABASE_URL: ''
 * to force the embedded database (the config treats empty variables as unset).
 */
export function runMigrateCli(env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, tsxArgs('src/db/migrate-cli.ts'), {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'info', NODE_ENV: 'test', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const logs = stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      resolve({ code, stdout, stderr, logs });
    });
  });
}

/** The pid of a process that has already exited (for stale-lock tests). */
export function deadPid(): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', () => resolve(child.pid!));
  });
}

/** Run a program of ours (`script`, a TypeScript file under src/) as its npm script does, with `args`; `env` as for runMigrateCli. */
export function runProgram(script: string, args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, tsxArgs(script, ...args), {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'silent', NODE_ENV: 'test', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, logs: [] }));
  });
}

/** Run `npm run keys`'s program (src/auth/cli.ts) with `args`. */
export const runKeysCli = (args: string[], env: Record<string, string>) => runProgram('src/auth/cli.ts', args, env);

/** Run `npm run ingest`'s program (src/schema/proposal/cli.ts) with `args`. */
export const runIngestCli = (args: string[], env: Record<string, string>) => runProgram('src/schema/proposal/cli.ts', args, env);
