import { createCounter, createHistogram, usePrometheus, type FillLabelsFnParams } from '@graphql-yoga/plugin-prometheus';
import type { Plugin } from 'graphql-yoga';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Context } from '../../context.ts';
import type { DatabaseKind, PoolStats } from '../../db/client.ts';
import { ErrorCode } from '../../errors.ts';
import { OperationLabels, operationNames, OTHER_OPERATION } from './operation-labels.ts';
import type { TrustedDocuments } from '../trusted-documents.ts';

export interface MetricsOptions {
  /** Defaults to a registry of this instance's own (tests run many instances in one process). */
  registry?: Registry;
  engine?: DatabaseKind;
  poolStats?: (() => PoolStats) | undefined;
  /** Process metrics (CPU, memory, event-loop lag); on in the server, off in tests. */
  processMetrics?: boolean;
  /** METRICS_MAX_OPERATIONS: distinct operation names labelled before the rest count as "other". */
  maxOperations?: number;
  /** With trusted documents, exactly their operation names are labelled. */
  trustedDocuments?: TrustedDocuments | undefined;
  /** The in-memory response store's size, read at each scrape (undefined: no such store). */
  responseCacheSize?: () => { responses: number; bytes: number } | undefined;
}

export interface Metrics {
  registry: Registry;
  plugins: Plugin<Context>[];
  /** Feed from the response cache: one call per cache-eligible query. */
  recordCacheLookup(hit: boolean): void;
}

type ResultLike = { errors?: readonly { extensions?: Record<string, unknown> }[] };

const ERROR_CODES = new Set<unknown>(Object.values(ErrorCode));

/**
 * The Prometheus plugin's metrics, each with its default name, help and phases, but labelled
 * with a bounded operation name: by default the plugin labels by the client's operationName,
 * and its error counter by the error's path (made of client-chosen aliases), so one client could
 * grow /metrics without bound. Left out as the plugin's defaults were before: the deprecated-field
 * counter re-walks each document with a TypeInfo (the schema has no deprecated fields), the
 * request-time summary keeps quantile sketches beside the duration histogram, and there are no
 * subscriptions; together ~3% of the CPU of a film-detail request in a profile of benchmark
 * scenario 2 (docs/benchmarks.md).
 */
function envelopMetrics(registry: Registry, operations: OperationLabels) {
  const labelNames = ['operationType', 'operationName'] as const;
  const labels = (params: FillLabelsFnParams) => ({
    operationType: params.operationType ?? 'unknown',
    operationName: operations.label(params.operationName ?? 'Anonymous'),
  });
  const histogram = <P extends string>(name: string, help: string, phases: [P, ...P[]]) =>
    createHistogram({ registry, histogram: { name, help, labelNames }, fillLabelsFn: labels, phases });
  const phases = <P extends string>(...list: [P, ...P[]]) => list;
  return {
    graphql_envelop_phase_parse: histogram('graphql_envelop_phase_parse', 'Time spent on running GraphQL "parse" function', ['parse']),
    graphql_envelop_phase_validate: histogram('graphql_envelop_phase_validate', 'Time spent on running GraphQL "validate" function', ['validate']),
    graphql_envelop_phase_context: histogram('graphql_envelop_phase_context', 'Time spent on building the GraphQL context', ['context']),
    graphql_envelop_phase_execute: histogram('graphql_envelop_phase_execute', 'Time spent on running the GraphQL "execute" function', ['execute']),
    graphql_envelop_request_duration: histogram('graphql_envelop_request_duration', 'Time spent on running the GraphQL operation from parse to execute', [
      'execute',
    ]),
    graphql_envelop_request: createCounter({
      registry,
      counter: { name: 'graphql_envelop_request', help: 'Counts the amount of GraphQL requests executed through Envelop', labelNames },
      fillLabelsFn: labels,
      phases: phases('execute'),
    }),
    graphql_envelop_error_result: createCounter({
      registry,
      counter: { name: 'graphql_envelop_error_result', help: 'Counts the amount of errors reported from all phases', labelNames: [...labelNames, 'phase'] },
      fillLabelsFn: (params: FillLabelsFnParams) => ({ ...labels(params), phase: params.errorPhase ?? 'unknown' }),
      phases: phases('parse', 'validate', 'context', 'execute'),
    }),
    graphql_yoga_http_duration: createHistogram({
      registry,
      histogram: { name: 'graphql_yoga_http_duration', help: 'Time spent on HTTP connection', labelNames: [...labelNames, 'method', 'statusCode'] },
      fillLabelsFn: (params: FillLabelsFnParams, context: { request: Request; response: Response }) => ({
        ...labels(params),
        method: context.request.method,
        statusCode: context.response.status,
      }),
      phases: phases('request'),
    }),
    graphql_envelop_schema_change: true,
    graphql_envelop_deprecated_field: false,
    graphql_envelop_request_time_summary: false,
    graphql_envelop_phase_subscribe: false,
    graphql_envelop_execute_resolver: false,
  };
}

/**
 * Prometheus metrics on GET /metrics. graphql-yoga's Prometheus plugin reports the phases of
 * executed operations (parse, validate, execute, HTTP); request count and latency per operation
 * including cache hits, errors by code, response-cache hits and the database pool are ours,
 * because the plugin sees none of them.
 */
/** Response-cache lookups by result, and the hit ratio since start; returns the feed the cache calls. */
function cacheMetrics(registry: Registry): (hit: boolean) => void {
  const cacheLookups = new Counter({
    name: 'cinegraph_response_cache_requests_total',
    help: 'Cache-eligible (anonymous) queries, by result: hit (served from the response cache) or miss (executed).',
    labelNames: ['result'],
    registers: [registry],
  });
  // Both label values exist from the start so rate() and the ratio work before the first hit.
  cacheLookups.inc({ result: 'hit' }, 0);
  cacheLookups.inc({ result: 'miss' }, 0);
  new Gauge({
    name: 'cinegraph_response_cache_hit_ratio',
    help: 'Hits / (hits + misses) since start; 0 before any lookup.',
    registers: [registry],
    async collect() {
      const values = (await cacheLookups.get()).values;
      const count = (result: string) => values.find((v) => v.labels['result'] === result)?.value ?? 0;
      const total = count('hit') + count('miss');
      this.set(total === 0 ? 0 : count('hit') / total);
    },
  });
  return (hit) => cacheLookups.inc({ result: hit ? 'hit' : 'miss' });
}

/**
 * process.memoryUsage() at each scrape, whose `arrayBuffers` prom-client's default metrics leave
 * out: with RSS, it splits the resident memory into the V8 heap, memory outside it (Buffers,
 * ArrayBuffers) and the rest (code, Prisma's WebAssembly query compiler, allocator slack) —
 * the breakdown in docs/benchmarks.md#memory-where-the-rss-goes.
 */
function memoryMetrics(registry: Registry): void {
  new Gauge({
    name: 'cinegraph_process_memory_bytes',
    help: 'process.memoryUsage() by kind: rss, heap_total, heap_used, external, array_buffers.',
    labelNames: ['kind'],
    registers: [registry],
    collect() {
      const m = process.memoryUsage();
      this.set({ kind: 'rss' }, m.rss);
      this.set({ kind: 'heap_total' }, m.heapTotal);
      this.set({ kind: 'heap_used' }, m.heapUsed);
      this.set({ kind: 'external' }, m.external);
      this.set({ kind: 'array_buffers' }, m.arrayBuffers);
    },
  });
}

/** What the in-memory response store holds: entries, and their JSON length (its byte budget counts that). */
function cacheSizeMetrics(registry: Registry, size: NonNullable<MetricsOptions['responseCacheSize']>): void {
  new Gauge({
    name: 'cinegraph_response_cache_entries',
    help: 'Responses held by the in-memory response cache (absent with Redis).',
    registers: [registry],
    collect() {
      const s = size();
      if (s) this.set(s.responses);
    },
  });
  new Gauge({
    name: 'cinegraph_response_cache_bytes',
    help: 'JSON length of the responses held by the in-memory response cache, as its RESPONSE_CACHE_MAX_BYTES budget counts it.',
    registers: [registry],
    collect() {
      const s = size();
      if (s) this.set(s.bytes);
    },
  });
}

/** Which engine serves the data, and the PostgreSQL pool's connections. */
function databaseMetrics(registry: Registry, engine: DatabaseKind | undefined, poolStats: (() => PoolStats) | undefined): void {
  new Gauge({
    name: 'cinegraph_db_info',
    help: 'The database engine in use (label engine: postgres or pglite).',
    labelNames: ['engine'],
    registers: [registry],
  }).set({ engine: engine ?? 'pglite' }, 1);
  if (poolStats) {
    // PGlite is one in-process connection serving queries one at a time: it has no pool to report.
    new Gauge({
      name: 'cinegraph_db_pool_connections',
      help: 'PostgreSQL pool: connections by state (total, idle), requests waiting for one, and the maximum.',
      labelNames: ['state'],
      registers: [registry],
      collect() {
        const s = poolStats();
        this.set({ state: 'total' }, s.total);
        this.set({ state: 'idle' }, s.idle);
        this.set({ state: 'waiting' }, s.waiting);
        this.set({ state: 'max' }, s.max);
      },
    });
  }
}

/** Requests and their latency per (bounded) operation label, cache hits and refusals included. */
function requestMetrics(registry: Registry, operations: OperationLabels): Plugin<Context> {
  const requests = new Counter({
    name: 'cinegraph_graphql_requests_total',
    help: `GraphQL requests over HTTP by operation name (as sent by the client; "anonymous" when none; "${OTHER_OPERATION}" past METRICS_MAX_OPERATIONS names) and HTTP status, cache hits included.`,
    labelNames: ['operation', 'status'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'cinegraph_graphql_request_duration_seconds',
    help: 'Time from request received to response ready, by operation name, cache hits included.',
    labelNames: ['operation'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const started = new WeakMap<Request, { at: number; operation: string }>();
  // The Prometheus plugin labels by the parsed document, so requests answered before parsing
  // (response-cache hits, refused requests) are not counted per operation; these two are.
  return {
    onParams({ params, request }) {
      // Labels must be strings: a malformed request (operationName or query of another type) is
      // refused later, but is still counted here.
      const query = typeof params.query === 'string' ? params.query : '';
      const named =
        (typeof params.operationName === 'string' ? params.operationName : undefined) ??
        /^\s*(?:query|mutation|subscription)\s+([_A-Za-z]\w*)/.exec(query)?.[1];
      started.set(request, { at: performance.now(), operation: operations.label(named ?? 'anonymous') });
    },
    onResponse({ request, response }) {
      const entry = started.get(request);
      if (!entry) return;
      requests.inc({ operation: entry.operation, status: String(response.status) });
      latency.observe({ operation: entry.operation }, (performance.now() - entry.at) / 1000);
    },
  };
}

/** GraphQL errors sent to clients, by code. */
function errorMetrics(registry: Registry): Plugin<Context> {
  const errors = new Counter({
    name: 'cinegraph_graphql_errors_total',
    help: 'GraphQL errors sent to clients, by extensions.code (a code outside the catalogue in src/errors.ts counts as "other").',
    labelNames: ['code'],
    registers: [registry],
  });
  return {
    onResultProcess({ result }) {
      if (Symbol.asyncIterator in Object(result)) return;
      for (const r of (Array.isArray(result) ? result : [result]) as ResultLike[]) {
        for (const e of r.errors ?? []) {
          const code = e.extensions?.['code'] ?? ErrorCode.INTERNAL_SERVER_ERROR;
          errors.inc({ code: typeof code === 'string' && ERROR_CODES.has(code) ? code : 'other' });
        }
      }
    },
  };
}

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = options.registry ?? new Registry();
  const operations = new OperationLabels({
    max: options.maxOperations ?? 100,
    trusted: options.trustedDocuments && operationNames(options.trustedDocuments),
  });
  if (options.processMetrics) {
    collectDefaultMetrics({ register: registry });
    memoryMetrics(registry);
  }
  const recordCacheLookup = cacheMetrics(registry);
  if (options.responseCacheSize) cacheSizeMetrics(registry, options.responseCacheSize);
  databaseMetrics(registry, options.engine, options.poolStats);
  return {
    registry,
    recordCacheLookup,
    plugins: [
      usePrometheus({
        registry,
        endpoint: '/metrics',
        metrics: envelopMetrics(registry, operations),
        labels: { url: false },
      }) as Plugin<Context>,
      requestMetrics(registry, operations),
      errorMetrics(registry),
    ],
  };
}
