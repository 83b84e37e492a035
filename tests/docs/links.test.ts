import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import GithubSlugger from 'github-slugger';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** The anchors GitHub gives a markdown file's headings (code blocks skipped, duplicates numbered). */
function anchorsOf(file: string): Set<string> {
  const slugger = new GithubSlugger();
  const anchors = new Set<string>();
  let fenced = false;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const heading = !fenced && /^#{1,6} (.*)$/.exec(line);
    if (heading) anchors.add(slugger.slug(heading[1]!.replace(/`/g, '')));
  }
  return anchors;
}

/** Relative link targets of a markdown file, outside code blocks and code spans. */
function linksOf(file: string): string[] {
  const links: string[] = [];
  let fenced = false;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    if (fenced) continue;
    for (const match of line.replace(/`[^`]*`/g, '``').matchAll(/\]\(([^)\s]+)\)/g)) {
      if (!/^[a-z]+:/.test(match[1]!)) links.push(match[1]!);
    }
  }
  return links;
}

/** What is wrong with a link of `from` (a path under root), or undefined when it resolves. */
function brokenLink(root: string, from: string, link: string): string | undefined {
  const [target = '', anchor] = link.split('#');
  const resolved = target ? path.resolve(root, path.dirname(from), target) : path.join(root, from);
  if (!fs.existsSync(resolved)) return `${from}: ${link} — no such file`;
  if (anchor !== undefined && resolved.endsWith('.md') && !anchorsOf(resolved).has(anchor)) return `${from}: ${link} — no such heading`;
  return undefined;
}

function pages(root: string): string[] {
  const docs = fs.existsSync(path.join(root, 'docs')) ? fs.readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')) : [];
  return ['README.md', ...docs.sort().map((f) => `docs/${f}`)];
}

function brokenLinks(root: string): { checked: number; broken: string[] } {
  let checked = 0;
  const broken: string[] = [];
  for (const page of pages(root)) {
    for (const link of linksOf(path.join(root, page))) {
      checked++;
      const problem = brokenLink(root, page, link);
      if (problem) broken.push(problem);
    }
  }
  return { checked, broken };
}

/** `docs/<page>.md#<anchor>` references in the code and the printed schema (descriptions point readers there). */
function codeReferences(root: string): { file: string; reference: string }[] {
  const found: { file: string; reference: string }[] = [];
  const visit = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory() && child !== 'src/generated') visit(child);
      else if (entry.isFile() && entry.name.endsWith('.ts')) scan(child);
    }
  };
  const scan = (file: string) => {
    for (const match of fs.readFileSync(path.join(root, file), 'utf8').matchAll(/docs\/[\w-]+\.md(?:#[\w-]+)?/g)) {
      found.push({ file, reference: match[0] });
    }
  };
  visit('src');
  scan('schema.graphql');
  return found;
}

describe('documentation links', () => {
  test('every relative link and anchor in README.md and docs/ resolves', () => {
    const { checked, broken } = brokenLinks(ROOT);
    expect(broken).toEqual([]);
    // Not vacuous: the pages link to the code, the tests and each other.
    expect(checked).toBeGreaterThan(100);
  });

  test('every docs/<page>.md#<anchor> named in src/ and schema.graphql exists', () => {
    const broken = codeReferences(ROOT)
      .map(({ file, reference }) => brokenLink(ROOT, 'README.md', reference) && `${file}: ${reference}`)
      .filter(Boolean);
    expect(broken).toEqual([]);
  });

  test('a link to a missing file or heading is reported, with the page it is on', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cinegraph-links-'));
    try {
      fs.mkdirSync(path.join(root, 'docs'));
      fs.writeFileSync(path.join(root, 'docs/api.md'), '# API\n\n## `totalCount` and more\n\n```\n## not a heading\n```\n');
      fs.writeFileSync(
        path.join(root, 'README.md'),
        '[ok](docs/api.md#totalcount-and-more) [gone](docs/gone.md) [bad](docs/api.md#not-a-heading) `[code](docs/none.md)` [web](https://example.com)\n',
      );
      expect(brokenLinks(root)).toEqual({
        checked: 3,
        broken: ['README.md: docs/gone.md — no such file', 'README.md: docs/api.md#not-a-heading — no such heading'],
      });
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
