/**
 * The doc test: every example of the README and docs/ marked runnable (```` ```sh runnable ````,
 * ```` ```js runnable [test] ````, with `exit=N` when it must fail) is run, and its exit code checked.
 *
 * Each page gets a fresh folder, as a user's project would be: the page's `file=` blocks written into it,
 * `node_modules/memprobe` linking this repository (so `import 'memprobe'` and `memprobe/test` resolve to the
 * build), and `memprobe` on PATH running bin/memprobe.js. `npx memprobe` in an example runs that same `memprobe`
 * (npx would look the name up in the project, and outside it in a registry: the test must not depend on one).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { docBlocks, docPages, readRepoFile, REPO, type DocBlock } from '../support/docs.js';

const EXAMPLE_TIMEOUT_MS = 120_000;
const pages = docPages().map((page) => ({ page, blocks: docBlocks(page, readRepoFile(page) ?? '') }));
const runnable = pages.flatMap(({ blocks }) => blocks.filter((b) => b.runnable));
const folders: string[] = [];
let ran = 0;
const started = Date.now();

after(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  const pagesRun = new Set(runnable.map((b) => b.page)).size;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `doc examples: ${ran} of ${runnable.length} runnable examples run, from ${pagesRun} pages, in ${seconds} s`,
  );
});

/** A project folder for one page: its files, memprobe linked in, and a `memprobe` command. */
function projectFor(page: string, blocks: readonly DocBlock[]): { cwd: string; env: NodeJS.ProcessEnv } {
  const cwd = mkdtempSync(join(tmpdir(), 'memprobe-doc-'));
  folders.push(cwd);
  mkdirSync(join(cwd, 'node_modules'));
  symlinkSync(REPO, join(cwd, 'node_modules', 'memprobe'), 'dir');
  const bin = join(cwd, '.bin');
  mkdirSync(bin);
  const shim = join(bin, 'memprobe');
  writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${join(REPO, 'bin', 'memprobe.js')}" "$@"\n`);
  chmodSync(shim, 0o755);
  for (const block of blocks.filter((b) => b.file !== null)) {
    const path = join(cwd, block.file ?? '');
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, block.code);
  }
  // The node running the tests is the node of the examples (.ci/run puts each Node first on PATH too).
  const path = [bin, dirname(process.execPath), process.env.PATH ?? ''].join(delimiter);
  return { cwd, env: { ...process.env, PATH: path, CI: '1', NO_COLOR: '1', FORCE_COLOR: '0' } };
}

function run(block: DocBlock, index: number, project: { cwd: string; env: NodeJS.ProcessEnv }) {
  const options = { cwd: project.cwd, env: project.env, encoding: 'utf8' as const, timeout: EXAMPLE_TIMEOUT_MS };
  if (block.lang === 'sh') {
    const script = `set -eo pipefail\n${block.code.replace(/\bnpx memprobe\b/g, 'memprobe')}`;
    return spawnSync('bash', ['-c', script], options);
  }
  const file = join(project.cwd, `example-${index}${block.test ? '.test' : ''}.mjs`);
  writeFileSync(file, block.code);
  return spawnSync(process.execPath, block.test ? ['--test', file] : [file], options);
}

test('the README and the guides hold runnable examples', () => {
  assert.ok(runnable.filter((b) => b.page === 'README.md').length >= 4, 'the README lost its runnable recipes');
  assert.ok(
    runnable.some((b) => b.page.startsWith('docs/guides/')),
    'no guide has a runnable example',
  );
  assert.ok(
    runnable.some((b) => b.exit !== 0),
    'no example shows a failing exit code',
  );
});

for (const { page, blocks } of pages) {
  const examples = blocks.filter((b) => b.runnable);
  if (examples.length === 0) continue;
  test(`examples of ${page}`, async (t) => {
    const project = projectFor(page, blocks);
    for (const [index, block] of examples.entries()) {
      await t.test(`${page}:${block.line} (${block.lang}${block.test ? ' test' : ''}, exit ${block.exit})`, () => {
        let result = run(block, index, project);
        // 130 is memprobe's exit on SIGINT/SIGTERM, which no example sends itself: on the shared test machine a
        // soak was once interrupted from outside (1 run in 7, cause not found). Such a run says nothing about the
        // example, so it runs once more, and says so; any other wrong exit code fails at once.
        if (result.status === 130 && block.exit !== 130) {
          t.diagnostic(`${page}:${block.line} was interrupted from outside (exit 130): run again`);
          result = run(block, index, project);
        }
        ran += 1;
        const output = `${result.stdout ?? ''}\n${result.stderr ?? ''}`.trim().split('\n').slice(-30).join('\n');
        assert.equal(result.error, undefined, `${page}:${block.line} did not run: ${result.error?.message}`);
        assert.equal(
          result.status,
          block.exit,
          `${page}:${block.line} exited ${result.status} (signal ${result.signal}), expected ${block.exit}:\n` +
            `${block.code}\n--- output (last lines) ---\n${output}`,
        );
      });
    }
  });
}
