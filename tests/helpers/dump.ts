import type { SqlSession } from '../../src/db/sql.ts';
import { getDatamodel } from '../../src/generated/pothos-types.ts';

export type Dump = Record<string, Record<string, unknown>[]>;

/**
 * Every column of every row of every model's table, ordered by primary key (the first one or
 * two columns: `id`, or CriticPublication's (criticId, publicationId)). Read with raw SQL so
 * the comparison sees exactly what is stored, timestamps included.
 */
export async function dumpTables(session: SqlSession): Promise<Dump> {
  const dump: Dump = {};
  for (const model of Object.keys(getDatamodel().datamodel.models).sort()) {
    dump[model] = await session.query(`SELECT * FROM "${model}" ORDER BY 1, 2`);
  }
  return dump;
}
