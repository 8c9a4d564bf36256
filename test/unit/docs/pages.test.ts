import assert from 'node:assert/strict';
import { test } from 'node:test';
import { brokenLinks, docPages, readRepoFile } from '../../support/docs.js';

const README_MAX_LINES = 300;

test(`the README stays a front page: at most ${README_MAX_LINES} lines`, () => {
  const readme = readRepoFile('README.md');
  assert.ok(readme !== null);
  const lines = readme.trimEnd().split('\n').length;
  assert.ok(lines <= README_MAX_LINES, `README.md has ${lines} lines; move the detail to a page under docs/`);
  for (const needed of ['npx memprobe soak --duration 30s', 'npm install && npm test', 'docs/index.md'])
    assert.ok(readme.includes(needed), `README.md lost "${needed}"`);
});

test('every relative link of the README and of docs/ leads to a file, and every anchor to a heading', () => {
  const pages = docPages();
  assert.ok(pages.length >= 15, `only ${pages.length} pages found`);
  assert.deepEqual(
    pages.flatMap((page) => brokenLinks(page, (path) => readRepoFile(path))),
    [],
  );
});

test('docs/index.md lists every page under docs/', () => {
  const index = readRepoFile('docs/index.md') ?? '';
  const missing = docPages()
    .filter((page) => page.startsWith('docs/') && page !== 'docs/index.md')
    .filter((page) => !index.includes(`(${page.slice('docs/'.length)})`));
  assert.deepEqual(missing, []);
});

test('the link check finds a missing file and a missing anchor, and passes good links', () => {
  const pages: Record<string, string> = {
    'README.md': '# Top\n[a](docs/a.md) [b](docs/a.md#two-words) [c](docs/gone.md)\n[d](docs/a.md#nowhere) [e](#top)',
    'docs/a.md': '# Two `words`\n```md\n[in code](nothing.md)\n```\n[back](../README.md) and `[code](x.md)`',
  };
  const read = (path: string): string | null => pages[path] ?? null;
  assert.deepEqual(brokenLinks('README.md', read), [
    'README.md:2: docs/gone.md (no such file)',
    'README.md:3: docs/a.md#nowhere (no heading makes #nowhere)',
  ]);
  assert.deepEqual(brokenLinks('docs/a.md', read), []);
});
