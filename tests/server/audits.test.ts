import { serverAudits } from 'graphql-http';
import { useHttpServer } from '../helpers/http.ts';

// graphql-http's GraphQL-over-HTTP conformance audits, against the real server on a real port.
const api = useHttpServer();

const audits = serverAudits({ url: () => api.http.url });

const tally: Record<string, { ok: number; failed: number }> = {};
afterAll(() => {
  console.info(
    `graphql-http server audits: ${Object.entries(tally)
      .map(([level, t]) => `${level} ${t.ok}/${t.ok + t.failed} ok`)
      .join(', ')}`,
  );
});

// Every audit passes, MAY included (there is none to excuse).
test.each(audits.map((audit) => [audit.name, audit] as const))('%s', async (_name, audit) => {
  const result = await audit.fn();
  const level = audit.name.split(' ')[0]!;
  tally[level] ??= { ok: 0, failed: 0 };
  tally[level][result.status === 'ok' ? 'ok' : 'failed']++;
  if (result.status !== 'ok') {
    const response = 'response' in result ? { status: result.response.status, body: await result.response.text().catch(() => '') } : undefined;
    throw new Error(`${audit.id} ${audit.name}: ${result.reason}\n${JSON.stringify(response)}`);
  }
});
