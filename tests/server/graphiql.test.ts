import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { useHttpServer } from '../helpers/http.ts';

/**
 * GraphiQL in a real headless Chromium with every request off this machine blocked: the page,
 * its scripts, styles and editor workers must all come from our server (the package inlines them).
 * CHROMIUM_PATH names the browser (.ci/run sets it after installing Debian's chromium); without
 * it, /usr/bin/chromium. A CHROMIUM_PATH that does not exist fails the test; no browser at all
 * skips it, saying so.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
if (CHROMIUM === undefined) {
  console.warn('tests/server/graphiql.test.ts SKIPPED: no Chromium found (set CHROMIUM_PATH or `apt-get install chromium`, which .ci/run does).');
}
const describeInBrowser = CHROMIUM === undefined ? describe.skip : describe;

const QUERY = '{ film(slug: "her") { title slug } }';

describeInBrowser('GraphiQL on GET /graphql, offline', () => {
  const api = useHttpServer();
  let browser: Browser;
  beforeAll(async () => {
    if (!existsSync(CHROMIUM!)) throw new Error(`CHROMIUM_PATH=${CHROMIUM} does not exist`);
    browser = await chromium.launch({ executablePath: CHROMIUM!, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  });
  afterAll(async () => {
    await browser?.close();
  });

  test('loads with no request leaving the machine, runs a query and shows its result', async () => {
    const context = await browser.newContext();
    const offMachine: string[] = [];
    const served: string[] = [];
    // Every request the page makes goes through here: only this machine's server is reachable.
    await context.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      if (/^https?:$/.test(url.protocol) && !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
        offMachine.push(url.href);
        await route.abort('internetdisconnected');
        return;
      }
      served.push(`${route.request().method()} ${url.pathname}`);
      await route.continue();
    });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    try {
      // GraphiQL reads its first query from ?query= (and keeps the URL in sync as one edits).
      const response = await page.goto(`${api.http.url}?query=${encodeURIComponent(QUERY)}`);
      expect(response?.status()).toBe(200);
      expect(response?.headers()['content-type']).toMatch(/^text\/html/);
      await page.locator('.graphiql-execute-button').click({ timeout: 60_000 });
      await page.waitForFunction(() => document.querySelector('.graphiql-response')?.textContent?.includes('"slug"'), undefined, { timeout: 60_000 });
      const shown = (await page.locator('.graphiql-response').textContent()) ?? '';
      // The editor renders JSON with non-breaking spaces; compare the text without any spacing.
      expect(shown.replace(/\s/g, '')).toContain('"film":{"title":"Her","slug":"her"}');
      expect(offMachine).toEqual([]);
      expect(pageErrors).toEqual([]);
      // The page itself, then the schema's introspection and the query, all to this server.
      expect(served).toEqual(expect.arrayContaining(['GET /graphql', 'POST /graphql']));
    } finally {
      await context.close();
    }
  });
});
