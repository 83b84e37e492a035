import { createHash } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { measureBudgets } from '../../scripts/web-budgets.ts';
import { describeInBrowser, launchChromium, seriousAxeViolations } from './browser.ts';
import { useSiteServer } from './site-server.ts';

const ADMIN_TOKEN = 'web-test-admin-token-0123456789';

/** Five dramas for the browse test, written through the write API, each citing its sentence of a new source. */
const SEED_DRAMAS = /* GraphQL */ `
  mutation SeedDramas(
    $source: CreateSourceInput!
    $a: CreateFilmInput!
    $b: CreateFilmInput!
    $c: CreateFilmInput!
    $d: CreateFilmInput!
    $e: CreateFilmInput!
  ) {
    createSource(input: $source) {
      userErrors {
        code
        message
      }
    }
    a: createFilm(input: $a) {
      userErrors {
        code
        message
      }
    }
    b: createFilm(input: $b) {
      userErrors {
        code
        message
      }
    }
    c: createFilm(input: $c) {
      userErrors {
        code
        message
      }
    }
    d: createFilm(input: $d) {
      userErrors {
        code
        message
      }
    }
    e: createFilm(input: $e) {
      userErrors {
        code
        message
      }
    }
  }
`;
const DRAMAS = ['Amber Lake', 'Brass Harbour', 'Cold Orchard', 'Distant Bells', 'Evening Ferry'];
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const ARTICLE = `Quiet Meridian (2019), written and directed by Lena Ostrova, stars Joaquin Phoenix as Tomas Reyes.
The drama follows a lighthouse keeper through one long winter.`;

describeInBrowser('tests/web/browser.test.ts')('the web client in Chromium, production build (persisted documents only)', () => {
  // Persisted-only, as in production: the site's own documents and this test's seeding mutation are the only ones that run.
  const api = useSiteServer({ trustedDocuments: new Map([[sha256(SEED_DRAMAS), SEED_DRAMAS]]), adminToken: ADMIN_TOKEN });
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let graphqlRequests: string[];
  let graphqlUrls: URL[];
  let textSent: string[];
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1200, height: 800 }, locale: 'en-GB' });
    page = await context.newPage();
    graphqlRequests = [];
    graphqlUrls = [];
    textSent = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname !== '/graphql') return;
      graphqlRequests.push(`${request.method()} ${url.searchParams.get('operationName') ?? ''}`);
      graphqlUrls.push(url);
      if (url.searchParams.has('query') || (request.postData() ?? '').includes('"query"')) textSent.push(request.url());
    });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    (page as Page & { errors: string[] }).errors = errors;
  });
  afterEach(async () => {
    // No page sent a document's text: every operation went by id.
    expect(textSent).toEqual([]);
    expect((page as Page & { errors: string[] }).errors).toEqual([]);
    await context.close();
  });

  test('search → film page → a cast member’s citation opens the source with the excerpt highlighted', async () => {
    await page.goto(`${api.base}/`);
    expect(await seriousAxeViolations(page)).toEqual([]);
    const typed = 'joaqin fenix';
    await page.getByRole('searchbox', { name: 'Search' }).pressSequentially(typed);
    const person = page.getByRole('link', { name: 'Joaquin Phoenix' });
    await person.waitFor();
    await expect(page.getByRole('heading', { name: 'People', exact: true }).count()).resolves.toBe(1);
    // Debounced: fewer requests than keystrokes, the last one for the whole text (and shown in the URL).
    const searches = graphqlUrls.filter((url) => url.searchParams.get('operationName') === 'SearchPage');
    expect(searches.length).toBeLessThan(typed.length);
    expect(JSON.parse(searches.at(-1)!.searchParams.get('variables')!)).toEqual({ query: typed });
    expect(new URL(page.url()).searchParams.get('q')).toBe(typed);
    await page.getByRole('searchbox', { name: 'Search' }).fill('her');
    await page.getByRole('link', { name: /^Her/ }).first().click();
    await page.waitForURL(`${api.base}/film/her`);
    await page.getByRole('heading', { level: 1, name: /Her/ }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    const cast = page.locator('#cast ~ .credits .credit');
    await expect(cast.first().locator('.person').textContent()).resolves.toBe('Joaquin Phoenix');
    // The release shown for the browser's country (en-GB → GB), switchable.
    await expect(page.locator('.release').textContent()).resolves.toContain('United Kingdom');
    await page.getByLabel('Country').selectOption('US');
    await page.waitForURL(/country=US/);
    await page.locator('.release', { hasText: 'United States' }).waitFor();

    await cast.first().locator('a.fact').click();
    await page.waitForURL(/\/source\/her-review\?citation=/);
    const selected = page.locator('mark.selected');
    await selected.first().waitFor();
    const excerpt = await page.locator('.citation-panel .excerpt').textContent();
    expect((await selected.allTextContents()).join('')).toBe(excerpt);
    expect(excerpt).toContain('Joaquin Phoenix');
    await expect(page.locator('.citation-panel .badge').textContent()).resolves.toMatch(/^(STATED|INFERRED)$/);
    // Scrolled into view.
    const box = await selected.first().boundingBox();
    expect(box!.y).toBeGreaterThanOrEqual(0);
    expect(box!.y + box!.height).toBeLessThanOrEqual(800);
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  test('browse: a filter, facets with counts, two more pages on scroll, the state in the URL and back', async () => {
    const variables = {
      source: {
        slug: 'drama-list',
        title: 'Five dramas',
        text: DRAMAS.map((title, i) => `${title} (${2001 + i}) is a drama.`).join(' '),
      },
      ...Object.fromEntries(
        DRAMAS.map((title, i) => [
          'abcde'[i],
          { title, year: 2001 + i, genres: ['Drama'], citations: [{ sourceSlug: 'drama-list', excerpt: `${title} (${2001 + i}) is a drama.` }] },
        ]),
      ),
    };
    const seeded = await fetch(`${api.base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
      body: JSON.stringify({ documentId: `sha256:${sha256(SEED_DRAMAS)}`, variables }),
    });
    const body = await seeded.json();
    expect(body.errors).toBeUndefined();
    expect(Object.values(body.data).flatMap((payload: any) => payload.userErrors)).toEqual([]);

    // Short enough that the list's end (where the next page loads) is out of view until scrolled to.
    await page.setViewportSize({ width: 1200, height: 260 });
    await page.goto(`${api.base}/films?size=2`);
    await page.getByRole('option', { name: 'Drama (5)' }).waitFor({ state: 'attached' });
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByLabel('Genre').selectOption('Drama');
    await page.waitForURL(/genre=Drama/);
    await page.getByText('5 films').waitFor();
    await page.waitForLoadState('networkidle');
    const cards = page.locator('.film-card a');
    await expect(cards.allTextContents()).resolves.toEqual(['Amber Lake (2001)', 'Brass Harbour (2002)']);
    await page.evaluate(() => window.scrollTo(0, 0));
    for (const count of [4, 5]) {
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      await page
        .waitForFunction((n) => document.querySelectorAll('.film-card a').length === n, count)
        .catch(async (error: Error) => {
          throw new Error(`${error.message}: ${await cards.count()} cards, requests ${graphqlRequests.join(', ')}`);
        });
    }
    await expect(cards.allTextContents()).resolves.toEqual(DRAMAS.map((title, i) => `${title} (${2001 + i})`));
    expect(graphqlRequests.filter((r) => r.endsWith('FilmsBrowse'))).toHaveLength(4); // all films, then Drama's three pages
    await expect(page.locator('.sentinel').count()).resolves.toBe(0);

    await page.getByLabel('Order').selectOption('newest');
    await page.waitForURL(/order=newest/);
    await page.waitForFunction(() => document.querySelector('.film-card a')?.textContent === 'Evening Ferry (2005)');
    await page.goBack();
    await page.waitForURL((url) => !url.search.includes('order='));
    await page.waitForFunction(() => document.querySelector('.film-card a')?.textContent === 'Amber Lake (2001)');
    await expect(page.getByLabel('Genre').inputValue()).resolves.toBe('Drama');
  });

  test('source page opened by its address alone (no citation chosen): the article, every GraphQL answer 200, twice over', async () => {
    // Its document declares `$citation: ID! = ""` and `$withCitation: Boolean! = false`, which this
    // request leaves out: graphql-jit refused such variables with a 400 until 29f58e2, and the
    // server executes the site's persisted documents compiled from their first request. The
    // second visit runs the document a second time (compiled from there on under any policy).
    const statuses: number[] = [];
    page.on('response', (response) => {
      if (new URL(response.url()).pathname === '/graphql') statuses.push(response.status());
    });
    for (let visit = 0; visit < 2; visit++) {
      await page.goto(`${api.base}/source/her-review`);
      await page.getByRole('heading', { name: 'What this source backs' }).waitFor();
    }
    expect(new URL(page.url()).searchParams.has('citation')).toBe(false);
    expect(statuses.length).toBeGreaterThanOrEqual(2);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
  });

  test('person page: one filmography row per film with every job, and the aliases', async () => {
    await page.goto(`${api.base}/person/scarlett-johansson`);
    await page.getByRole('heading', { level: 1, name: 'Scarlett Johansson' }).waitFor();
    await expect(page.getByText('Also known as').textContent()).resolves.toContain('Johannson');
    const rows = page.locator('.filmography tbody tr');
    await expect(rows.count()).resolves.toBeGreaterThan(0);
    const films = (await rows.locator('td:nth-child(2)').allTextContents()).map((t) => t.trim());
    expect(new Set(films).size).toBe(films.length);
    expect(films).toContain('Her');
    expect(graphqlRequests).toEqual([expect.stringMatching(/^GET PersonPage$/)]);
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  test('editor desk: the key once, an article in, proposals beside the text with their excerpts highlighted, one rejected, one accepted and on the film page', async () => {
    await page.goto(`${api.base}/editor`);
    await page.getByLabel('Write key').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Use this key' }).click();
    await page.getByRole('heading', { name: 'Ingest an article' }).waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('cinegraph.writeKey'))).toBe(ADMIN_TOKEN);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByLabel('Title').fill('Quiet Meridian review');
    await page.getByLabel('Article text').fill(ARTICLE);
    await page.getByRole('button', { name: 'Propose facts' }).click();
    await page.waitForURL(/\/editor\?source=/);
    const proposals = page.locator('.proposals > li');
    await proposals.first().waitFor();
    const count = await proposals.count();
    expect(count).toBeGreaterThan(2);
    // Every proposal's excerpt is highlighted in the article beside the list.
    const marked = (await page.locator('.article mark').allTextContents()).join('');
    for (const excerpt of await page.locator('.proposals .excerpt').allTextContents()) {
      expect(ARTICLE).toContain(excerpt);
      expect(marked.length).toBeGreaterThan(0);
    }
    expect(await seriousAxeViolations(page)).toEqual([]);

    // After a reload the key is still there (sessionStorage), and the desk answers from it.
    await page.reload();
    await proposals.first().waitFor();
    const writer = proposals.filter({ has: page.getByRole('button', { name: /^crew credit — job: Writer/ }) });
    await writer.getByPlaceholder('Reason (optional)').fill('Checked: not in the article');
    await writer.getByRole('button', { name: 'Reject' }).click();
    await writer.getByText('Rejected: Checked: not in the article').waitFor();
    await expect(page.getByRole('status').filter({ hasText: 'proposals' }).textContent()).resolves.toBe(`${count} proposals, ${count - 1} pending`);

    // Accepting the cast credit accepts the film it depends on too; the fact is then on the film page, cited.
    const cast = proposals.filter({ has: page.getByRole('button', { name: /^cast credit/ }) });
    await cast.getByRole('button', { name: 'Accept' }).click();
    await cast.getByText('Accepted').waitFor();
    await page.goto(`${api.base}/?q=${encodeURIComponent('quiet meridian')}`);
    await page.getByRole('link', { name: /^Quiet Meridian/ }).click();
    const credit = page.locator('.credit', { hasText: 'Joaquin Phoenix' });
    await credit.getByText('as Tomas Reyes').waitFor();
    await credit.locator('a.fact').click();
    await page.waitForURL(/\/source\/.*\?citation=/);
    await expect(page.locator('.citation-panel .excerpt').textContent()).resolves.toContain('Tomas Reyes');
  });

  test('budgets: initial JS ≤ 150 kB gzip and one GraphQL request per page view; the film page LCP printed', async () => {
    const report = await measureBudgets(browser, api.base);
    console.log(
      `web budgets: initial JS ${report.initialJsGzipKb} kB gzip, film LCP ${report.filmLcpMs} ms, GraphQL requests ${JSON.stringify(report.graphqlRequests)}`,
    );
    // The LCP depends on this machine's speed and load (the shared CI host runs other suites beside
    // this one), so the test prints it and `npm run web:budgets` (a step of .ci/run, alone on the machine) enforces it; the size and the
    // request count are properties of the code and fail the test.
    expect(report.over.filter((line) => !line.startsWith('film page LCP'))).toEqual([]);
  });
});
