// The web client, facts and their sources both ways, in Chromium: a source page links each of its
// citations to the fact it backs (the film page scrolls to it), and an imported dataset's facts
// (audience ratings) open the dataset record on the source page.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { filmRecordApplier } from '../../src/import/apply.ts';
import { moviesJsonStreams } from '../../src/import/movies-json.ts';
import { importContext, runImport } from '../../src/import/run.ts';
import { describeInBrowser, launchChromium, seriousAxeViolations } from './browser.ts';
import { useSiteServer } from './site-server.ts';

describeInBrowser('tests/web/facts.test.ts')('facts and sources both ways, in Chromium', () => {
  const api = useSiteServer({ trustedDocuments: new Map() });
  const dir = mkdtempSync(path.join(tmpdir(), 'cg-web-facts-'));
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1200, height: 800 }, locale: 'en-US' });
    page = await context.newPage();
    errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
  });
  afterEach(async () => {
    expect(errors).toEqual([]);
    await context.close();
  });

  /** Imports rows in the format of movies.json as the dataset snapshot `snapshot`. */
  async function importMovies(snapshot: string, rows: Record<string, unknown>[]) {
    const file = path.join(dir, `movies-${snapshot}.json`);
    writeFileSync(file, JSON.stringify(rows));
    return runImport(importContext(api.db.prisma), {
      format: 'movies-json',
      info: { dataset: 'web-movies', snapshot, title: 'Web test movies', url: null, licence: 'BSD-3-Clause' },
      streams: moviesJsonStreams(file, 2026),
      applier: filmRecordApplier,
      total: rows.length,
      rejectsFile: path.join(dir, `rejects-${snapshot}.jsonl`),
    });
  }

  test('the source page lists every citation with a link to its fact; a credit’s link opens the film page scrolled to that credit', async () => {
    await page.goto(`${api.base}/source/her-review`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    const backs = page.locator('.backs > li');
    await backs.first().waitFor();
    const total = Number(/(\d+) citations/.exec((await page.locator('header .muted').textContent())!)![1]);
    await expect(backs.count()).resolves.toBe(total);
    // Every citation names its fact; all but the two publications (no page of their own) link to it.
    await expect(page.locator('.backs > li .subject').count()).resolves.toBe(total);
    await expect(page.locator('.backs > li span.subject').allTextContents()).resolves.toEqual(['LA Times', 'The Verge']);
    await expect(page.locator('.backs > li a.subject').count()).resolves.toBe(total - 2);
    expect(await seriousAxeViolations(page)).toEqual([]);

    // Choosing a highlighted passage names its fact in the panel, with the link.
    await page.locator('mark[data-citations]', { hasText: 'Joaquin Phoenix' }).first().click();
    await expect(page.locator('.citation-panel a.subject').count()).resolves.toBe(1);

    const credit = page.locator('.backs a.subject', { hasText: /^Joaquin Phoenix as/ }).first();
    const label = await credit.textContent();
    await credit.click();
    await page.waitForURL(/\/film\/her#credit-/);
    const target = page.locator('.fact-target');
    await target.waitFor();
    await expect(target.locator('.person').textContent()).resolves.toBe('Joaquin Phoenix');
    expect(label).toContain((await target.locator('.role a.fact').textContent())!);
    const box = await target.boundingBox();
    expect(box!.y).toBeGreaterThanOrEqual(0);
    expect(box!.y + box!.height).toBeLessThanOrEqual(800);
  });

  test('an imported rating is on the film page; its citation opens the dataset record on the source page', async () => {
    const result = await importMovies('ratings', [
      { Title: 'Arrival', 'Release Date': 'Nov 11 2016', 'Major Genre': 'Drama', 'IMDB Rating': 7.9, 'IMDB Votes': 1234, 'Rotten Tomatoes Rating': 94 },
    ]);
    expect(result.status).not.toBe('FAILED');

    await page.goto(`${api.base}/film/arrival`);
    await page.getByRole('heading', { level: 1, name: /Arrival/ }).waitFor();
    const ratings = page.locator('.ratings li');
    await expect(ratings.allTextContents()).resolves.toEqual(['IMDb users: 7.9/10 (1,234 votes)', 'Rotten Tomatoes: 94/100']);
    expect(await seriousAxeViolations(page)).toEqual([]);

    await ratings.first().locator('a.fact').click();
    await page.waitForURL(/\/source\/.*\?citation=/);
    await page.getByRole('heading', { name: 'Cited record', exact: true }).waitFor();
    const row = page.locator('.records tr.selected');
    await expect(row.locator('td').allTextContents()).resolves.toEqual(['movies-ratings.json', expect.any(String), expect.stringContaining('IMDB Rating')]);
    await expect(page.locator('.citation-panel a.subject').textContent()).resolves.toBe('Arrival: imdb rating');
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  test('a dataset source with more than 100 record citations opens a rating’s record past the first 100 selected, and pages the rest with "More citations"', async () => {
    const films = 60;
    const result = await importMovies(
      'crowded',
      Array.from({ length: films }, (_, i) => ({
        Title: `Crowded Film ${i + 1}`,
        'Release Date': `Mar 0${(i % 9) + 1} ${1950 + i}`,
        'IMDB Rating': 6.1,
        'IMDB Votes': 100 + i,
      })),
    );
    expect(result.status).not.toBe('FAILED');
    const film = await api.db.prisma.film.findFirstOrThrow({ where: { title: `Crowded Film ${films}` } });
    const requests: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/graphql') requests.push(url.searchParams.get('operationName') ?? '');
    });
    const costs: number[] = [];
    page.on('response', async (response) => {
      if (new URL(response.url()).pathname !== '/graphql') return;
      const body = (await response.json().catch(() => null)) as { extensions?: { cost?: { requested: number; limit: number } } } | null;
      if (body?.extensions?.cost) costs.push(body.extensions.cost.requested);
    });

    // The last film's rating: its record citation comes after the first 100 of the source's.
    await page.goto(`${api.base}/film/${film.slug}`);
    await page.getByRole('heading', { level: 1, name: /Crowded Film 60/ }).waitFor();
    await page.locator('.ratings li a.fact').first().click();
    await page.waitForURL(/\/source\/.*\?citation=/);
    await page.getByRole('heading', { name: 'Cited record', exact: true }).waitFor();
    const status = page.getByRole('status').filter({ hasText: 'citations.' });
    const total = Number(/^100 of (\d+) citations\.$/.exec((await status.textContent())!)?.[1]);
    expect(total).toBeGreaterThan(100);
    const rows = page.locator('.records tbody tr');
    // 100 loaded rows and the selected one, which is not among them, shown first and in view.
    await expect(rows.count()).resolves.toBe(101);
    const selected = page.locator('.records tr.selected');
    await expect(selected.count()).resolves.toBe(1);
    await expect(selected.locator('td').allTextContents()).resolves.toEqual([
      'movies-crowded.json',
      expect.any(String),
      expect.stringContaining('IMDB Rating'),
    ]);
    const key = await selected.locator('td:nth-child(2)').textContent();
    await expect(page.locator('.citation-panel a.subject').textContent()).resolves.toBe(`Crowded Film ${films}: imdb rating`);
    const box = await selected.boundingBox();
    expect(box!.y).toBeGreaterThanOrEqual(0);
    expect(box!.y + box!.height).toBeLessThanOrEqual(800);
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(requests).toEqual(['FilmPage', 'SourcePage']);

    // The address changed to another citation the page has not loaded (history, not a click): the page asks for it.
    const current = new URL(page.url()).searchParams.get('citation');
    const source = new URL(page.url()).pathname;
    const other = (await api.db.prisma.citation.findMany({ where: { source: { slug: source.split('/').at(-1)! } }, orderBy: { id: 'desc' }, take: 2 }))
      .map((c) => Buffer.from(`Citation:${c.id}`).toString('base64'))
      .find((id) => id !== current)!;
    await page.evaluate(
      (search) => {
        history.replaceState(null, '', search);
        dispatchEvent(new PopStateEvent('popstate'));
      },
      `?citation=${encodeURIComponent(other)}`,
    );
    await page.waitForFunction((id) => document.querySelector('.records tr.selected')?.id === `record-${id}`, other);
    await expect(rows.count()).resolves.toBe(101);
    expect(requests).toEqual(['FilmPage', 'SourcePage', 'SourcePage']);

    // The same address loaded afresh: still one request, the one index.html sent before the bundle (same variables).
    const url = `${api.base}${source}?citation=${encodeURIComponent(current!)}`;
    requests.length = 0;
    await page.goto(url);
    await page.getByRole('heading', { name: 'Cited record', exact: true }).waitFor();
    await expect(page.locator('.records tr.selected td:nth-child(2)').textContent()).resolves.toBe(key);
    expect(requests).toEqual(['SourcePage']);

    // "More citations" pages on by cursor until every citation is listed, each once; the selected row is then in its place.
    let loaded = 100;
    while (loaded < total) {
      await page.getByRole('button', { name: 'More citations' }).click();
      loaded = Math.min(total, loaded + 100);
      await page.waitForFunction((n) => document.querySelectorAll('.backs > li').length >= n, loaded);
    }
    await expect(page.getByRole('button', { name: 'More citations' }).count()).resolves.toBe(0);
    await expect(page.locator('.backs > li').count()).resolves.toBe(total);
    await expect(rows.count()).resolves.toBe(total);
    const at = await rows.evaluateAll((trs) => trs.findIndex((tr) => tr.classList.contains('selected')));
    expect(at).toBeGreaterThanOrEqual(100);
    await expect(page.locator('.records tr.selected td:nth-child(2)').textContent()).resolves.toBe(key);
    expect(requests).toEqual(['SourcePage', ...Array.from({ length: Math.ceil(total / 100) - 1 }, () => 'SourceCitations')]);
    // Every page of 100 citations with their facts stays within the API's cost limit (5,000).
    expect(costs.length).toBeGreaterThan(0);
    expect(Math.max(...costs)).toBeLessThanOrEqual(5000);
    console.log(`source page: ${total} citations; requested cost per request ${costs.join(', ')}`);
  });

  test('a citation id in the address that the source does not hold is said so, and the page still shows the source', async () => {
    await page.goto(`${api.base}/source/her-review?citation=${encodeURIComponent('not-an-id')}`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await expect(page.locator('.citation-panel [role="alert"]').textContent()).resolves.toContain('does not hold');
    await expect(page.locator('.backs > li').count()).resolves.toBeGreaterThan(0);
  });

  test('a person page shows 30 films and pages the rest of the filmography with "More films"', async () => {
    const result = await importMovies(
      'director',
      Array.from({ length: 35 }, (_, i) => ({ Title: `Paged Film ${i + 1}`, 'Release Date': `Jan 0${(i % 9) + 1} ${1960 + i}`, Director: 'Ines Okafor' })),
    );
    expect(result.status).not.toBe('FAILED');
    const requests: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/graphql') requests.push(url.searchParams.get('operationName') ?? '');
    });
    await page.goto(`${api.base}/person/ines-okafor`);
    await page.getByRole('heading', { level: 1, name: 'Ines Okafor' }).waitFor();
    const rows = page.locator('.filmography tbody tr');
    await expect(rows.count()).resolves.toBe(30);
    await expect(page.getByRole('status').filter({ hasText: 'films.' }).textContent()).resolves.toBe('30 of 35 films.');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'More films' }).click();
    await page.waitForFunction(() => document.querySelectorAll('.filmography tbody tr').length === 35);
    const titles = (await rows.locator('td:nth-child(2)').allTextContents()).map((t) => t.trim());
    // Newest first, each film once, the oldest last.
    expect(new Set(titles).size).toBe(35);
    expect(titles[0]).toBe('Paged Film 35');
    expect(titles.at(-1)).toBe('Paged Film 1');
    await expect(page.getByRole('button', { name: 'More films' }).count()).resolves.toBe(0);
    expect(requests).toEqual(['PersonPage', 'PersonFilmography']);
  });
});
