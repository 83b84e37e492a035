/** Import progress: a bar with rows/s and an ETA on a terminal (cli-progress), one line per 10% otherwise. */
import { SingleBar } from 'cli-progress';

export interface Progress {
  update(done: number): void;
  stop(): void;
}

export function createProgress(total: number, label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  const started = Date.now();
  if (stream.isTTY) {
    const bar = new SingleBar({
      format: `${label} [{bar}] {percentage}% | {value}/{total} rows | {speed} rows/s | ETA {eta_formatted}`,
      stream,
      hideCursor: true,
    });
    bar.start(total, 0, { speed: '0' });
    return {
      update: (done) => bar.update(done, { speed: String(Math.round(done / Math.max((Date.now() - started) / 1000, 0.001))) }),
      stop: () => bar.stop(),
    };
  }
  let lastDecile = 0;
  return {
    update(done) {
      const decile = total === 0 ? 10 : Math.floor((done / total) * 10);
      if (decile <= lastDecile) return;
      lastDecile = decile;
      const seconds = (Date.now() - started) / 1000;
      const rate = done / Math.max(seconds, 0.001);
      const eta = rate > 0 ? Math.round((total - done) / rate) : 0;
      stream.write(`${label}: ${decile * 10}% (${done}/${total} rows, ${Math.round(rate)} rows/s, ETA ${eta}s)\n`);
    },
    stop() {},
  };
}
