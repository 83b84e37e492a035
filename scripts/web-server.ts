/** `npm start`'s program as a child process on a free port, for the web scripts (budgets, screenshots). */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');

export async function startSiteProcess(env: Record<string, string>): Promise<{ base: string; stop(): Promise<void> }> {
  // One process: the tsx command relays signals to a second one and SIGKILLs it when it is slow to acknowledge.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += String(chunk)));
  child.stderr.on('data', (chunk) => (output += String(chunk)));
  const exited = once(child, 'exit');
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
  };
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    const line = /"url":"(http:\/\/localhost:\d+)\/graphql".*"msg":"Cinegraph listening"/.exec(output);
    if (line) return { base: line[1]!.replace('localhost', '127.0.0.1'), stop };
    if (child.exitCode !== null) throw new Error(`the server exited:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`the server did not start:\n${output}`);
}
