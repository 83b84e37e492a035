// Runs `prisma generate` when prisma/schema.prisma changed since the last generation.
// Prisma 7's CLI insists on downloading a schema-engine binary even for `generate`, which does
// not use it; pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing file skips that download,
// so generation works offline. The node binary is a file every machine running this has.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const schema = readFileSync(path.join(root, 'prisma/schema.prisma'));
const stamp = path.join(root, 'src/generated/.schema-sha256');
const digest = createHash('sha256').update(schema).digest('hex');
const force = process.argv.includes('--force');

if (!force && existsSync(stamp) && readFileSync(stamp, 'utf8') === digest) process.exit(0);

const result = spawnSync(process.execPath, [path.join(root, 'node_modules/prisma/build/index.js'), 'generate'], {
  cwd: root,
  stdio: ['ignore', 'inherit', 'inherit'],
  env: {
    ...process.env,
    // generators (prisma-pothos-types) are looked up on PATH, as npm scripts would set it
    PATH: [path.join(root, 'node_modules/.bin'), process.env.PATH].join(path.delimiter),
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
  },
});
if (result.status !== 0) process.exit(result.status ?? 1);
writeFileSync(stamp, digest);
