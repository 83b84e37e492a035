import type { CountingProxy } from './pg-proxy.ts';
import type { Request, Scenario, SystemKind } from './scenarios.ts';

/** A request slower than this fails validation (the scenario is reported failed, not timed). */
const PROBE_TIMEOUT_MS = 30_000;

export async function send(baseUrl: string, req: Request): Promise<unknown> {
  const signal = AbortSignal.timeout(PROBE_TIMEOUT_MS);
  const res = await fetch(
    `${baseUrl}${req.path}`,
    req.method === 'POST' ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: req.body, signal } : { method: 'GET', signal },
  );
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`HTTP ${res.status}, not JSON: ${text.slice(0, 200)}`);
  }
  // GraphQL over HTTP answers validation errors with 400 and a JSON body: report the errors.
  if (!res.ok && !(json as { errors?: unknown }).errors) throw new Error(`HTTP ${res.status}: ${text.slice(0, 300)}`);
  return json;
}

/** Every request in `requests` must return the data the scenario asks for; returns the first problem, or null. */
export async function validate(scenario: Scenario, system: SystemKind, baseUrl: string, requests: Request[]): Promise<string | null> {
  try {
    for (const req of requests) scenario.check(system, await send(baseUrl, req));
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Statements per request, counted on the wire by the proxy over `requests` sent one at a time. */
export async function statementsPerRequest(proxy: CountingProxy, baseUrl: string, requests: Request[]): Promise<number> {
  // The first request pays one-off costs (prepared statements, lazy imports) and is not counted;
  // the counted ones differ from it, so a response cache cannot answer them from it.
  const [first, ...counted] = requests;
  await send(baseUrl, first!);
  const before = proxy.statements;
  for (const req of counted) await send(baseUrl, req);
  return Math.round(((proxy.statements - before) / Math.max(1, counted.length)) * 100) / 100;
}
