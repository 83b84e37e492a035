import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { tsxArgs } from './tsx.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface ServerProcess {
  child: ChildProcess;
  /** http://127.0.0.1:<port> */
  base: string;
  output(): string;
  /** pino lines printed so far, parsed. */
  logs(): Record<string, unknown>[];
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/** `npm start`'s program as a child process on a free port; resolves once it listens. */
export async function startServer(env: Record<string, string>): Promise<ServerProcess> {
  let output = '';
  const child = spawn(process.execPath, tsxArgs('src/index.ts'), {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const logs = () =>
    output
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    const line = logs().find((l) => l['msg'] === 'Cinegraph listening');
    if (line) {
      const base = new URL(String(line['url']).replace('localhost', '127.0.0.1')).origin;
      return { child, base, output: () => output, logs, exited };
    }
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not start:\n${output}`);
}

/** POST a GraphQL query; never throws: network failures come back as status 0. */
export async function post(base: string, query: string, timeoutMs = 30_000) {
  const started = performance.now();
  try {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
    return { status: response.status, body, ms: performance.now() - started, retryAfter: response.headers.get('retry-after') };
  } catch (error) {
    return { status: 0, body: { errors: [{ message: String(error) }] }, ms: performance.now() - started, retryAfter: null };
  }
}
