/**
 * The web client's budgets, measured in headless Chromium against a running server:
 *   - initial JS: the scripts index.html loads before anything renders, gzipped (≤ 150 kB);
 *   - the film page's largest contentful paint on the seeded data, median of 3 cold loads (≤ 1 s);
 *   - GraphQL requests per page view, for every read page (exactly 1: fragments composed, no waterfall).
 * `npm run web:budgets` starts a server on a fresh embedded database, prints the figures and exits
 * non-zero over budget; tests/web/browser.test.ts runs `measureBudgets` so CI fails over budget.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';
import { startSiteProcess } from './web-server.ts';

export const BUDGETS = { initialJsGzipKb: 150, filmLcpMs: 1000, graphqlRequestsPerView: 1 } as const;

/** The read pages of the site on the seeded data, each one page view. */
export const PAGE_VIEWS = {
  search: '/?q=joaquin',
  films: '/films',
  film: '/film/her',
  person: '/person/joaquin-phoenix',
  source: '/source/her-review',
} as const;

export interface BudgetReport {
  initialJsGzipKb: number;
  filmLcpMs: number;
  graphqlRequests: Record<keyof typeof PAGE_VIEWS, number>;
  over: string[];
}

async function initialJsGzipKb(base: string): Promise<number> {
  const html = await (await fetch(`${base}/`)).text();
  const urls = [...html.matchAll(/<script[^>]+src="([^"]+)"|<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g)].map((m) => m[1] ?? m[2]!);
  let bytes = 0;
  for (const url of urls) bytes += gzipSync(Buffer.from(await (await fetch(new URL(url, base))).arrayBuffer()), { level: 9 }).length;
  return Math.round((bytes / 1024) * 10) / 10;
}

async function filmLcpMs(browser: Browser, base: string): Promise<number> {
  const runs: number[] = [];
  // One load first, not counted: it warms the server (the first query of a process compiles its plans), not the browser.
  for (let i = -1; i < 3; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${base}${PAGE_VIEWS.film}`);
    await page.locator('h1').first().waitFor();
    // The last candidate once the page has settled is the LCP (the buffered entries include those before this script ran).
    await page.waitForLoadState('networkidle');
    const lcp = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          new PerformanceObserver((list) => {
            const entries = list.getEntries();
            resolve(entries[entries.length - 1]!.startTime);
          }).observe({ type: 'largest-contentful-paint', buffered: true });
        }),
    );
    if (i >= 0) runs.push(lcp);
    if (i >= 0 && process.env.WEB_BUDGETS_TIMELINE) {
      console.log(
        await page.evaluate(() =>
          performance
            .getEntriesByType('resource')
            .map(
              (e) =>
                `${e.name.replace(location.origin, '').slice(0, 40)} ${Math.round(e.startTime)}→${Math.round((e as PerformanceResourceTiming).responseEnd)}`,
            )
            .join('\n'),
        ),
        `lcp ${Math.round(lcp)}`,
      );
    }
    await context.close();
  }
  return Math.round(runs.sort((a, b) => a - b)[1]!);
}

/** GraphQL requests the page makes from navigation until the network is idle. */
export async function graphqlRequestsOf(browser: Browser, base: string, pathname: string): Promise<number> {
  const context = await browser.newContext();
  const page = await context.newPage();
  let count = 0;
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/graphql') count += 1;
  });
  await page.goto(`${base}${pathname}`);
  await page.locator('main h1').first().waitFor();
  await page.waitForLoadState('networkidle');
  // The search runs after its debounce: wait for its results before counting.
  if (pathname.startsWith('/?q=')) await page.locator('.result-list').first().waitFor();
  await page.waitForLoadState('networkidle');
  await context.close();
  return count;
}

export async function measureBudgets(browser: Browser, base: string): Promise<BudgetReport> {
  const js = await initialJsGzipKb(base);
  const lcp = await filmLcpMs(browser, base);
  const graphqlRequests = {} as BudgetReport['graphqlRequests'];
  for (const [name, pathname] of Object.entries(PAGE_VIEWS)) {
    graphqlRequests[name as keyof typeof PAGE_VIEWS] = await graphqlRequestsOf(browser, base, pathname);
  }
  const over = [
    ...(js > BUDGETS.initialJsGzipKb ? [`initial JS ${js} kB gzip > ${BUDGETS.initialJsGzipKb} kB`] : []),
    ...(lcp > BUDGETS.filmLcpMs ? [`film page LCP ${lcp} ms > ${BUDGETS.filmLcpMs} ms`] : []),
    ...Object.entries(graphqlRequests)
      .filter(([, n]) => n !== BUDGETS.graphqlRequestsPerView)
      .map(([name, n]) => `${name} page: ${n} GraphQL requests, not ${BUDGETS.graphqlRequestsPerView}`),
  ];
  return { initialJsGzipKb: js, filmLcpMs: lcp, graphqlRequests, over };
}

export function chromiumPath(): string | undefined {
  return process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
}

async function main() {
  const executablePath = chromiumPath();
  if (!executablePath) {
    console.error('web:budgets needs Chromium: apt-get install chromium, or set CHROMIUM_PATH.');
    process.exit(2);
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cinegraph-budgets-'));
  const server = await startSiteProcess({ DATA_DIR: path.join(dataDir, 'data') });
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  try {
    const report = await measureBudgets(browser, server.base);
    console.log(`initial JS (gzip)         ${report.initialJsGzipKb} kB   (budget ${BUDGETS.initialJsGzipKb} kB)`);
    console.log(`film page LCP (median/3)  ${report.filmLcpMs} ms   (budget ${BUDGETS.filmLcpMs} ms)`);
    for (const [name, n] of Object.entries(report.graphqlRequests))
      console.log(`GraphQL requests, ${name.padEnd(7)} ${n}      (budget ${BUDGETS.graphqlRequestsPerView})`);
    if (report.over.length > 0) {
      console.error(`OVER BUDGET:\n  ${report.over.join('\n  ')}`);
      process.exitCode = 1;
    }
  } finally {
    await browser.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
