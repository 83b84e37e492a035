import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * Chromium for the web tests, found as tests/server/graphiql.test.ts finds it: CHROMIUM_PATH
 * (.ci/run sets it after installing Debian's chromium), else /usr/bin/chromium. A CHROMIUM_PATH
 * that does not exist fails; no browser at all skips the tests, saying so.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

export function describeInBrowser(file: string): jest.Describe {
  if (CHROMIUM === undefined) {
    console.warn(`${file} SKIPPED: no Chromium found (set CHROMIUM_PATH or \`apt-get install chromium\`, which .ci/run does).`);
    return describe.skip;
  }
  return describe;
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM!)) throw new Error(`CHROMIUM_PATH=${CHROMIUM} does not exist`);
  return chromium.launch({ executablePath: CHROMIUM!, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's violations of impact serious or critical on the page as it is now, one line each. */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run(context: Document): Promise<{ violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[] }> } }
    ).axe;
    return (await axe.run(document)).violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => JSON.stringify(n.target)) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.targets.join(', ')}`);
}
