/** A one-line progress bar on stderr (redrawn on a TTY; every 10% otherwise, e.g. in CI logs). */
export class Progress {
  private readonly started = performance.now();
  private lastDecile = -1;
  constructor(
    private readonly total: number,
    private readonly unit: string,
  ) {}

  update(done: number, rows: number): void {
    const fraction = Math.min(1, done / this.total);
    const seconds = (performance.now() - this.started) / 1000;
    const rate = Math.round(rows / Math.max(seconds, 1e-3)).toLocaleString('en');
    const width = 30;
    const filled = Math.round(fraction * width);
    const line = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ${done.toLocaleString('en')}/${this.total.toLocaleString('en')} ${this.unit}, ${rate} rows/s`;
    if (process.stderr.isTTY) {
      process.stderr.write(`\r${line}`);
    } else {
      const decile = Math.floor(fraction * 10);
      if (decile !== this.lastDecile) {
        this.lastDecile = decile;
        process.stderr.write(`${line}\n`);
      }
    }
  }

  done(): void {
    if (process.stderr.isTTY) process.stderr.write('\n');
  }
}
