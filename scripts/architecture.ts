// Writes the module map of docs/architecture.md from the source tree, so it cannot go stale the
// way a hand-kept "Project layout" list did: every folder and file under src/ (src/generated
// excluded) with the first sentence of its leading doc comment, and a mermaid graph of which
// folder imports which, computed from the import statements.
//
//   npx tsx scripts/architecture.ts            rewrite the region between the markers
//   npx tsx scripts/architecture.ts --check    exit 1 when the committed map is stale
//
// Imports and comments are read with the TypeScript compiler's own parser (a dev dependency
// already), not with regular expressions: multi-line imports, `import type`, re-exports and
// dynamic import() are then all seen the way tsc sees them.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

export const MAP_START = '<!-- module-map:start -->';
export const MAP_END = '<!-- module-map:end -->';
export const ARCHITECTURE_DOC = 'docs/architecture.md';

const SOURCE_ROOT = 'src';
const EXCLUDED = new Set(['src/generated']);
const SOURCE_FILE = /\.(ts|mts|cts|tsx)$/;
/** Descriptions longer than this are cut (with "…") so the table stays one line per file. */
const MAX_DESCRIPTION = 240;
// Comments that steer tools rather than describe the file.
const TOOL_COMMENT = /^(eslint|@ts-|prettier-ignore|istanbul|c8 |global |#!|@jest-environment)/;
// Abbreviations whose period does not end a sentence.
const ABBREVIATION = /(?:^|[\s(])(?:e\.g|i\.e|etc|vs|cf|approx|incl)\.$/i;

export interface ModuleImport {
  /** Path of the imported file, relative to the repository root (posix separators). */
  target: string;
  /** `import type` / `export type`: no runtime dependency. */
  typeOnly: boolean;
}

export interface ModuleFile {
  /** Relative to the repository root, posix separators, e.g. `src/db/client.ts`. */
  path: string;
  description: string;
  imports: ModuleImport[];
}

export interface ModuleFolder {
  path: string;
  description: string;
}

export interface SourceTree {
  folders: ModuleFolder[];
  files: ModuleFile[];
}

export interface CheckResult {
  stale: boolean;
  /** Empty when up to date; otherwise what differs and how to fix it. */
  message: string;
}

const posix = (p: string) => p.split(path.sep).join('/');

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Every source file and folder under src/, depth first, in code-point order (locale-independent).
 * A folder without source files anywhere below it is left out: git does not keep empty folders,
 * so a fresh clone would not have it and the check would differ between checkouts.
 */
function walk(root: string): { folders: string[]; files: string[] } {
  const folders: string[] = [];
  const files: string[] = [];
  const visit = (rel: string): boolean => {
    const entries = fs.readdirSync(path.join(root, rel), { withFileTypes: true }).sort((a, b) => compare(a.name, b.name));
    const before = files.length;
    for (const entry of entries) {
      if (entry.isFile() && SOURCE_FILE.test(entry.name)) files.push(`${rel}/${entry.name}`);
    }
    for (const entry of entries) {
      const child = `${rel}/${entry.name}`;
      if (!entry.isDirectory() || EXCLUDED.has(child)) continue;
      const at = folders.push(child) - 1;
      if (!visit(child)) folders.splice(at, 1);
    }
    return files.length > before;
  };
  visit(SOURCE_ROOT);
  return { folders, files };
}

interface CommentBlock {
  text: string;
}

/** Consecutive `//` lines form one block; each `/* … *\/` is a block of its own. */
function commentBlocks(text: string, ranges: readonly ts.CommentRange[] | undefined): CommentBlock[] {
  const blocks: { text: string; end: number; line: boolean }[] = [];
  for (const range of ranges ?? []) {
    const raw = text.slice(range.pos, range.end);
    const line = range.kind === ts.SyntaxKind.SingleLineCommentTrivia;
    const previous = blocks.at(-1);
    const adjacent = previous?.line && line && !text.slice(previous.end, range.pos).includes('\n\n');
    if (previous && adjacent) {
      previous.text += `\n${raw}`;
      previous.end = range.end;
    } else {
      blocks.push({ text: raw, end: range.end, line });
    }
  }
  return blocks.map((b) => ({ text: cleanComment(b.text) })).filter((b) => b.text !== '' && !TOOL_COMMENT.test(b.text));
}

function cleanComment(raw: string): string {
  const lines = raw.startsWith('/*')
    ? raw
        .replace(/^\/\*+/, '')
        .replace(/\*+\/$/, '')
        .split('\n')
        .map((l) => l.replace(/^\s*\*?\s?/, ''))
    : raw.split('\n').map((l) => l.replace(/^\s*\/\/\s?/, ''));
  // JSDoc tags (@param, @see, …) end the prose.
  const tag = lines.findIndex((l) => /^\s*@\w/.test(l));
  return (tag === -1 ? lines : lines.slice(0, tag)).join(' ').replace(/\s+/g, ' ').trim();
}

/** The first sentence: up to the first `.`, `!` or `?` followed by a space or the end, abbreviations excepted. */
export function firstSentence(text: string): string {
  let sentence = text;
  for (const match of text.matchAll(/[.!?](?=\s|$)/g)) {
    const upTo = text.slice(0, match.index + 1);
    if (!ABBREVIATION.test(upTo)) {
      sentence = upTo;
      break;
    }
  }
  return sentence.length > MAX_DESCRIPTION ? `${sentence.slice(0, MAX_DESCRIPTION - 1).trimEnd()}…` : sentence;
}

function isExported(statement: ts.Statement): boolean {
  if (ts.isExportAssignment(statement) || ts.isExportDeclaration(statement)) return true;
  const modifiers = ts.canHaveModifiers(statement) ? ts.getModifiers(statement) : undefined;
  return modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ?? false;
}

const isImport = (s: ts.Statement) => ts.isImportDeclaration(s) || ts.isImportEqualsDeclaration(s);

/**
 * The file's description: the first comment block at the top of the file; else the comment of
 * its first exported declaration; else (a file that exports nothing, such as a CLI entry) the
 * comment of its first statement after the imports. Empty when there is none.
 */
function describe(source: ts.SourceFile): string {
  const text = source.text;
  const top = commentBlocks(text, ts.getLeadingCommentRanges(text, 0));
  if (top[0]) return firstSentence(top[0].text);
  const statement = source.statements.find(isExported) ?? source.statements.find((s) => !isImport(s));
  if (!statement) return '';
  // The block closest to the declaration is the one about it.
  const own = commentBlocks(text, ts.getLeadingCommentRanges(text, statement.pos)).at(-1);
  return own ? firstSentence(own.text) : '';
}

function resolveImport(root: string, fromFile: string, specifier: string): string | undefined {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return undefined;
  const base = path.resolve(root, path.dirname(fromFile), specifier);
  const candidates = [base, base.replace(/\.js$/, '.ts'), `${base}.ts`, path.join(base, 'index.ts')];
  const found = candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
  return found ? posix(path.relative(root, found)) : undefined;
}

function importsOf(root: string, file: string, source: ts.SourceFile): ModuleImport[] {
  const found: ModuleImport[] = [];
  const add = (specifier: ts.Expression | undefined, typeOnly: boolean) => {
    if (!specifier || !ts.isStringLiteralLike(specifier)) return;
    const target = resolveImport(root, file, specifier.text);
    if (target) found.push({ target, typeOnly });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
      const everyNameIsType = !!clause && !clause.name && !!named && named.length > 0 && named.every((e) => e.isTypeOnly);
      add(node.moduleSpecifier, !!clause && (clause.isTypeOnly || everyNameIsType));
    } else if (ts.isExportDeclaration(node)) {
      add(node.moduleSpecifier, node.isTypeOnly);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node.arguments[0], false);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function parse(root: string, file: string): ts.SourceFile {
  return ts.createSourceFile(file, fs.readFileSync(path.join(root, file), 'utf8'), ts.ScriptTarget.Latest, true);
}

export function scanSourceTree(root: string): SourceTree {
  const { folders, files } = walk(root);
  const modules = files.map((file): ModuleFile => {
    const source = parse(root, file);
    return { path: file, description: describe(source), imports: importsOf(root, file, source) };
  });
  const byPath = new Map(modules.map((m) => [m.path, m]));
  // A folder is described by its namesake file (schema/film/film.ts) or its index.ts.
  const describeFolder = (folder: string) => (byPath.get(`${folder}/${path.posix.basename(folder)}.ts`) ?? byPath.get(`${folder}/index.ts`))?.description ?? '';
  return { folders: folders.map((f) => ({ path: f, description: describeFolder(f) })), files: modules };
}

/** The graph node a file belongs to: a file directly in src/ is its own node; any other file, its folder's. */
export function moduleGroup(file: string): string {
  const rel = file.slice(SOURCE_ROOT.length + 1);
  const slash = rel.lastIndexOf('/');
  return slash === -1 ? rel : `${rel.slice(0, slash)}/`;
}

const nodeId = (group: string) => `m_${group.replace(/[^A-Za-z0-9]/g, '_')}`;

function renderGraph(tree: SourceTree): string[] {
  const inSource = (p: string) => p.startsWith(`${SOURCE_ROOT}/`) && ![...EXCLUDED].some((e) => p.startsWith(`${e}/`));
  const groups = [...new Set(tree.files.map((f) => moduleGroup(f.path)))].sort(compare);
  // An edge is drawn solid when any import along it is needed at run time, dotted when all are type-only.
  const edges = new Map<string, boolean>();
  for (const file of tree.files) {
    for (const { target, typeOnly } of file.imports) {
      if (!inSource(target)) continue;
      const from = moduleGroup(file.path);
      const to = moduleGroup(target);
      if (from === to) continue;
      const key = `${from}\u0000${to}`;
      edges.set(key, (edges.get(key) ?? true) && typeOnly);
    }
  }
  const lines = ['```mermaid', 'flowchart LR'];
  for (const group of groups) lines.push(`  ${nodeId(group)}["${group}"]`);
  for (const key of [...edges.keys()].sort(compare)) {
    const [from, to] = key.split('\u0000') as [string, string];
    lines.push(`  ${nodeId(from)} ${edges.get(key) ? '-.->' : '-->'} ${nodeId(to)}`);
  }
  lines.push('```');
  return lines;
}

/** Markdown-safe table cell: pipes escaped, and `<` outside code spans so GitHub does not read it as HTML. */
function cell(text: string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/&/g, '&amp;').replace(/</g, '&lt;')))
    .join('')
    .replace(/\|/g, '\\|');
}

function renderTable(tree: SourceTree, docDir: string): string[] {
  const link = (p: string, label: string) => `[${label}](${posix(path.relative(docDir, p)) || '.'})`;
  const lines = ['| path | what it is (first sentence of its leading comment) |', '| --- | --- |'];
  const filesIn = (folder: string) => tree.files.filter((f) => path.posix.dirname(f.path) === folder);
  const row = (file: ModuleFile) => lines.push(`| ${link(file.path, file.path)} | ${cell(file.description)} |`);
  filesIn(SOURCE_ROOT).forEach(row);
  for (const folder of tree.folders) {
    lines.push(`| **${link(folder.path, `${folder.path}/`)}** | ${cell(folder.description)} |`);
    filesIn(folder.path).forEach(row);
  }
  return lines;
}

/** The text between the markers (exclusive), as the generator writes it. */
export function renderModuleMap(root: string, docPath = ARCHITECTURE_DOC): string {
  const tree = scanSourceTree(root);
  const docDir = path.posix.dirname(docPath);
  return [
    '',
    `<!-- Generated by \`npm run docs:architecture\` from ${SOURCE_ROOT}/ (${[...EXCLUDED].join(', ')} excluded); edit the code's comments, not this region. -->`,
    '',
    ...renderGraph(tree),
    '',
    ...renderTable(tree, docDir),
    '',
  ].join('\n');
}

function splitDoc(doc: string, docPath: string): { before: string; region: string; after: string } {
  const start = doc.indexOf(MAP_START);
  const end = doc.indexOf(MAP_END);
  if (start === -1 || end === -1 || end < start) {
    throw new Error(`${docPath} has no module-map region: it needs a line "${MAP_START}" followed by a line "${MAP_END}".`);
  }
  return { before: doc.slice(0, start + MAP_START.length), region: doc.slice(start + MAP_START.length, end), after: doc.slice(end) };
}

/** `startLine`: the doc's line (1-based) holding the start marker, where the region's first line is. */
function firstDifference(expected: string, actual: string, startLine: number): string {
  const want = expected.split('\n');
  const have = actual.split('\n');
  for (let i = 0; i < Math.max(want.length, have.length); i++) {
    if (want[i] !== have[i]) {
      return `first difference at line ${startLine + i}: expected ${JSON.stringify(want[i] ?? '(end of map)')}, found ${JSON.stringify(have[i] ?? '(end of map)')}`;
    }
  }
  return 'no line differs';
}

/**
 * Compares (check) or rewrites the module map of `docPath` under `root`. Check mode never
 * writes; it reports a stale map with the first differing line and the command that fixes it.
 */
export function updateArchitectureDoc(root: string, { check = false, docPath = ARCHITECTURE_DOC } = {}): CheckResult {
  const file = path.join(root, docPath);
  const doc = fs.readFileSync(file, 'utf8');
  const { before, region, after } = splitDoc(doc, docPath);
  const expected = renderModuleMap(root, docPath);
  if (region === expected) return { stale: false, message: '' };
  if (!check) {
    fs.writeFileSync(file, `${before}${expected}${after}`);
    return { stale: false, message: `${docPath}: module map rewritten.` };
  }
  return {
    stale: true,
    message: `${docPath} is stale: its module map does not match ${SOURCE_ROOT}/ (${firstDifference(expected, region, before.split('\n').length)}). Run \`npm run docs:architecture\` and commit the result.`,
  };
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (isMain) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const check = process.argv.includes('--check');
  try {
    const result = updateArchitectureDoc(root, { check });
    if (result.stale) {
      console.error(result.message);
      process.exit(1);
    }
    console.log(result.message || `${ARCHITECTURE_DOC}: module map is up to date.`);
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
