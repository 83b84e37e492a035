// The editor desk in Chromium: a conflict from an import resolved, the change feed live over SSE,
// a proposal edited before it is accepted, and the rest accepted in bulk.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { filmRecordApplier } from '../../src/import/apply.ts';
import { moviesJsonStreams } from '../../src/import/movies-json.ts';
import { importContext, runImport } from '../../src/import/run.ts';
import { describeInBrowser, launchChromium, seriousAxeViolations } from './browser.ts';
import { useSiteServer } from './site-server.ts';

const ADMIN_TOKEN = 'web-editor-admin-token-0123456789';
const SEED_FILM = /* GraphQL */ `
  mutation SeedArticleFilm($source: CreateSourceInput!, $film: CreateFilmInput!) {
    createSource(input: $source) {
      userErrors {
        code
      }
    }
    createFilm(input: $film) {
      userErrors {
        code
      }
    }
  }
`;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const ARTICLE = `Quiet Meridian (2019), written and directed by Lena Ostrova, stars Joaquin Phoenix as Tomas Reyes.
The drama follows a lighthouse keeper through one long winter.`;

describeInBrowser('tests/web/editor.test.ts')('the editor desk in Chromium', () => {
  const api = useSiteServer({ trustedDocuments: new Map([[sha256(SEED_FILM), SEED_FILM]]), adminToken: ADMIN_TOKEN });
  const dir = mkdtempSync(path.join(tmpdir(), 'cg-web-editor-'));
  let browser: Browser;
  let page: Page;
  let errors: string[];
  beforeAll(async () => {
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    page = await context.newPage();
    errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => expect(errors).toEqual([]));

  /** The desk, with the write key entered when this tab does not hold it yet. */
  async function openDesk() {
    await page.goto(`${api.base}/editor`);
    await page.getByRole('heading', { name: 'Ingest an article' }).or(page.getByLabel('Write key')).waitFor();
    if (await page.getByLabel('Write key').count()) {
      await page.getByLabel('Write key').fill(ADMIN_TOKEN);
      await page.getByRole('button', { name: 'Use this key' }).click();
    }
  }

  test('a conflict from an import is listed and resolved, and the change feed shows the revision live', async () => {
    const seeded = await fetch(`${api.base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
      body: JSON.stringify({
        documentId: `sha256:${sha256(SEED_FILM)}`,
        variables: {
          source: { slug: 'arrival-article', title: 'Arrival notes', text: 'Arrival (2016) runs 116 minutes.' },
          film: {
            title: 'Arrival',
            year: 2016,
            runtimeMinutes: 116,
            citations: [{ sourceSlug: 'arrival-article', excerpt: 'Arrival (2016) runs 116 minutes.' }],
          },
        },
      }),
    });
    expect(((await seeded.json()) as { errors?: unknown }).errors).toBeUndefined();
    const file = path.join(dir, 'movies.json');
    writeFileSync(file, JSON.stringify([{ Title: 'Arrival', 'Release Date': 'Nov 11 2016', 'Running Time min': 118 }]));
    const result = await runImport(importContext(api.db.prisma), {
      format: 'movies-json',
      info: { dataset: 'web-movies', snapshot: '1', title: 'Web test movies', url: null, licence: 'BSD-3-Clause' },
      streams: moviesJsonStreams(file, 2026),
      applier: filmRecordApplier,
      total: 1,
      rejectsFile: path.join(dir, 'rejects.jsonl'),
    });
    expect(result.counts).toMatchObject({ conflicts: 1 });

    await openDesk();
    const conflict = page.locator('.conflict', { hasText: 'Arrival' });
    await conflict.waitFor();
    await expect(conflict.locator('dd').allTextContents()).resolves.toEqual([expect.stringMatching(/^116 /), expect.stringMatching(/^118 /)]);
    await page.getByText('Live: changes appear as they are committed.').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);

    await conflict.getByRole('button', { name: 'Take incoming' }).click();
    await page.getByText('No open conflict.').waitFor();
    // The resolution is a revision of the film: it arrives on the feed while the page is open.
    await page.locator('.feed-events li', { hasText: 'runtimeMinutes' }).waitFor();
    await expect(page.locator('.feed-events li').allTextContents()).resolves.toContainEqual(expect.stringMatching(/^update film · runtimeMinutes/));
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  test('a proposal edited before it is accepted is written as edited; the rest are accepted in bulk', async () => {
    await openDesk();
    await page.getByLabel('Title').fill('Quiet Meridian review');
    await page.getByLabel('Article text').fill(ARTICLE);
    await page.getByRole('button', { name: 'Propose facts' }).click();
    await page.waitForURL(/\/editor\?source=/);
    const proposals = page.locator('.proposals > li');
    await proposals.first().waitFor();
    const count = await proposals.count();

    const cast = proposals.filter({ has: page.getByRole('button', { name: /^cast credit/ }) }).first();
    await cast.getByRole('button', { name: 'Edit', exact: true }).click();
    await cast.getByLabel('character').fill('Tomás Reyes');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await cast.getByRole('button', { name: 'Accept as edited' }).click();
    await cast.getByText('Accepted').waitFor();

    await page.getByLabel(/confidence of at least/).fill('0');
    await page.getByRole('button', { name: 'Accept all' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /^Accepted \d+/ })
      .waitFor();
    // The list is refetched after the mutation answers, so its summary may still count the
    // proposals as pending when the message appears: wait for it rather than read it once.
    await page
      .getByRole('status')
      .filter({ hasText: new RegExp(`^${count} proposals, 0 pending`) })
      .waitFor();

    await page.goto(`${api.base}/?q=${encodeURIComponent('quiet meridian')}`);
    await page.getByRole('link', { name: /^Quiet Meridian/ }).click();
    await page.locator('.credit', { hasText: 'Joaquin Phoenix' }).getByText('as Tomás Reyes').waitFor();
  });
});
