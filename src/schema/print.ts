// `npm run schema:print`: writes schema.graphql, the reviewed public contract.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { printSchemaFile, SCHEMA_FILE } from './printed.ts';

writeFileSync(SCHEMA_FILE, printSchemaFile());
console.log(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}`);
