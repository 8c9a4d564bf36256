import assert from 'node:assert/strict';
import { test } from 'node:test';
import { brokenLinks, docBlocks, docPages, readRepoFile } from '../../support/docs.js';

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

test('code blocks: files, runnable marks and exit codes are read from the info string', () => {
  const page = [
    '```js file=probes/a.mjs',
    'export default {};',
    '```',
    '```sh runnable exit=1',
    'memprobe soak x',
    '```',
    '```js runnable test',
    "import 'node:test';",
    '```',
    '```sh',
    'not run',
    '```',
  ].join('\n');
  const blocks = docBlocks('p.md', page);
  assert.deepEqual(
    blocks.map((b) => [b.line, b.lang, b.file, b.runnable, b.test, b.exit]),
    [
      [1, 'js', 'probes/a.mjs', false, false, 0],
      [4, 'sh', null, true, false, 1],
      [7, 'js', null, true, true, 0],
      [10, 'sh', null, false, false, 0],
    ],
  );
  assert.equal(blocks[1]?.code, 'memprobe soak x\n');
  assert.throws(() => docBlocks('p.md', '```sh runnable exit=one\nx\n```'), /p\.md:1: exit=one/);
  assert.throws(() => docBlocks('p.md', '```sh exit=1\nx\n```'), /add runnable/);
  assert.throws(() => docBlocks('p.md', '```sh\nx\n'), /never closed/);
});

test('every runnable mark of the docs is well formed', () => {
  const blocks = docPages().flatMap((page) => docBlocks(page, readRepoFile(page) ?? ''));
  assert.ok(blocks.filter((b) => b.runnable).length >= 5);
  const unknown = blocks.filter((b) => b.runnable && !['sh', 'js'].includes(b.lang)).map((b) => `${b.page}:${b.line}`);
  assert.deepEqual(unknown, []);
});
