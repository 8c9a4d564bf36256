/**
 * Reading the documentation as data: the pages (README.md and docs/**.md), their relative links and headings,
 * and the examples marked runnable. Shared by the page checks (unit) and the doc test (integration).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file runs from dist/test/support). */
export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** README.md and every Markdown page under docs/, as paths relative to the repository, sorted. */
export function docPages(root = REPO): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) return walk(path);
      return entry.name.endsWith('.md') ? [path] : [];
    });
  return ['README.md', ...walk('docs').sort()];
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Lines outside fenced code blocks, with their 1-based line numbers. */
function proseLines(text: string): { line: string; n: number }[] {
  let fenced = false;
  return text.split('\n').flatMap((line, i) => {
    if (/^\s*```/.test(line)) {
      fenced = !fenced;
      return [];
    }
    return fenced ? [] : [{ line: line.replace(/`[^`]*`/g, ''), n: i + 1 }];
  });
}

/** Anchors of a page read as Markdown source: headings keep their code spans for the slug. */
function headingAnchors(text: string): Set<string> {
  let fenced = false;
  const anchors = new Set<string>();
  for (const line of text.split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    else if (!fenced && /^#{1,6} /.test(line)) anchors.add(slug(line.replace(/^#+ /, '')));
  }
  return anchors;
}

/**
 * Every relative link of a page that does not lead anywhere: a missing file, or an anchor no heading of the
 * target page makes. `read` gives a page's text by its repository path (so the check can be tested on made-up pages).
 */
export function brokenLinks(page: string, read: (path: string) => string | null): string[] {
  const text = read(page);
  if (text === null) return [`${page}: not found`];
  const broken: string[] = [];
  for (const { line, n } of proseLines(text)) {
    for (const match of line.matchAll(/\]\(([^)\s]+)\)/g)) {
      const href = match[1] ?? '';
      if (/^[a-z]+:/i.test(href)) continue;
      const [file = '', anchor] = href.split('#');
      const target = file === '' ? page : relative('.', join(dirname(page), file));
      const targetText = read(target);
      if (targetText === null) broken.push(`${page}:${n}: ${href} (no such file)`);
      else if (anchor !== undefined && target.endsWith('.md') && !headingAnchors(targetText).has(anchor))
        broken.push(`${page}:${n}: ${href} (no heading makes #${anchor})`);
    }
  }
  return broken;
}

/** Reads a repository file, or null when it does not exist (a folder reads as an empty page). */
export function readRepoFile(path: string, root = REPO): string | null {
  const full = join(root, path);
  if (!existsSync(full)) return null;
  try {
    return readFileSync(full, 'utf8');
  } catch {
    return '';
  }
}

/** A fenced code block of a page, with the words of its info string: ```` ```sh runnable exit=1 ````. */
export interface DocBlock {
  readonly page: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly lang: string;
  /** `file=probes/cache.mjs`: the block is written to that path of the page's folder before its examples run. */
  readonly file: string | null;
  /** Marked `runnable`: the test suite runs it (sh: bash; js: node, or `node --test` when marked `test`). */
  readonly runnable: boolean;
  readonly test: boolean;
  /** The exit code it must end with (`exit=N`, default 0). */
  readonly exit: number;
  readonly code: string;
}

/** The fenced blocks of a page, in order. A malformed mark (`exit=x`) throws rather than being skipped. */
export function docBlocks(page: string, text: string): DocBlock[] {
  const blocks: DocBlock[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*(.*)$/.exec(lines[i] ?? '');
    if (!open) continue;
    const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
    if (end < 0) throw new Error(`${page}:${i + 1}: a code block that is never closed`);
    const words = (open[2] ?? '').split(/\s+/).filter(Boolean);
    const value = (name: string): string | null =>
      words.find((w) => w.startsWith(`${name}=`))?.slice(name.length + 1) ?? null;
    const exit = value('exit');
    if (exit !== null && !/^\d+$/.test(exit)) throw new Error(`${page}:${i + 1}: exit=${exit} is not an exit code`);
    const runnable = words.includes('runnable');
    if (!runnable && (exit !== null || words.includes('test')))
      throw new Error(`${page}:${i + 1}: exit= and test mark a runnable block: add runnable`);
    blocks.push({
      page,
      line: i + 1,
      lang: open[1] ?? '',
      file: value('file'),
      runnable,
      test: words.includes('test'),
      exit: exit === null ? 0 : Number(exit),
      code: lines.slice(i + 1, end).join('\n') + '\n',
    });
    i = end;
  }
  return blocks;
}
