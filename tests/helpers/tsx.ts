/**
 * Arguments for running a TypeScript entry point as one child process: `node --import tsx
 * <script>` (spawn it with `process.execPath`). The `tsx` command runs the script in a second
 * process and relays signals to it; when that process does not acknowledge a signal within 30 ms
 * (tsx 4's relaySignalToChild) it is SIGKILLed and tsx exits 143. On a busy CI host a server
 * stopped with SIGTERM exited 143 that way instead of shutting down and exiting 0.
 */
export function tsxArgs(script: string, ...args: string[]): string[] {
  return ['--import', 'tsx', script, ...args];
}
