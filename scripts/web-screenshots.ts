/**
 * Screenshots of every page of the web client into docs/screenshots/ (shown in the README):
 * a server on a fresh embedded database (seeded), headless Chromium at 1280×900, and a phone-sized
 * film page. `npm run web:screenshots`; needs Chromium (CHROMIUM_PATH or /usr/bin/chromium).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { chromiumPath } from './web-budgets.ts';
import { startSiteProcess } from './web-server.ts';

const OUT = path.resolve(import.meta.dirname, '../docs/screenshots');
const TOKEN = 'screenshots-admin-token-0123456789';
const ARTICLE = `Quiet Meridian (2019), written and directed by Lena Ostrova, stars Joaquin Phoenix as Tomas Reyes.
The drama follows a lighthouse keeper through one long winter.`;

const executablePath = chromiumPath();
if (!executablePath) {
  console.error('web:screenshots needs Chromium: apt-get install chromium, or set CHROMIUM_PATH.');
  process.exit(2);
}
mkdirSync(OUT, { recursive: true });
const dataDir = mkdtempSync(path.join(tmpdir(), 'cinegraph-screenshots-'));
const server = await startSiteProcess({ DATA_DIR: path.join(dataDir, 'data'), ADMIN_TOKEN: TOKEN });
const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });

async function shoot(page: Page, name: string, ready: string) {
  await page.locator(ready).first().waitFor();
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: path.join(OUT, `${name}.png`) });
  console.log(`docs/screenshots/${name}.png`);
}

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(`${server.base}/?q=joaquin`);
  await shoot(page, 'search', '.result-list');
  await page.goto(`${server.base}/films`);
  await shoot(page, 'films', '.film-card');
  await page.goto(`${server.base}/film/her`);
  await shoot(page, 'film', '.credit');
  await page.locator('.credit a.fact').first().click();
  await shoot(page, 'source', 'mark.selected');
  await page.goto(`${server.base}/person/scarlett-johansson`);
  await shoot(page, 'person', '.filmography tbody tr');
  await page.goto(`${server.base}/editor`);
  await page.getByLabel('Write key').fill(TOKEN);
  await page.getByRole('button', { name: 'Use this key' }).click();
  await page.getByText('Live: changes appear as they are committed.').waitFor();
  await shoot(page, 'editor-desk', '.feed');
  await page.getByLabel('Title').fill('Quiet Meridian review');
  await page.getByLabel('Article text').fill(ARTICLE);
  await page.getByRole('button', { name: 'Propose facts' }).click();
  await shoot(page, 'editor', '.proposals > li');
  await context.close();

  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, locale: 'en-GB' });
  const mobile = await phone.newPage();
  await mobile.goto(`${server.base}/film/her`);
  await shoot(mobile, 'film-phone', '.credit');
  await phone.close();
} finally {
  await browser.close();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
