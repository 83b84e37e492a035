import path from 'node:path';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { schema } from './index.ts';

export const SCHEMA_FILE = path.resolve(import.meta.dirname, '../../schema.graphql');

export function printSchemaFile(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
