/**
 * npm run bench:data -- --films 1000000 [--seed 1] [--force]
 * Creates (if missing) and loads the bench database for that size and seed.
 */
import { parseArgs } from 'node:util';
import { ensureBenchData } from './load.ts';

const { values } = parseArgs({
  options: {
    films: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '1' },
    force: { type: 'boolean', default: false },
  },
});
const films = Number(values.films);
const seed = Number(values.seed);
if (!Number.isInteger(films) || films < 1 || !Number.isInteger(seed)) {
  console.error('--films must be a positive integer and --seed an integer');
  process.exit(2);
}
try {
  const { name, load } = await ensureBenchData({ films, seed, force: values.force });
  console.log(JSON.stringify({ database: name, ...load }, null, 2));
} catch (error) {
  console.error(`bench:data failed: ${(error as Error).message}`);
  process.exit(1);
}
