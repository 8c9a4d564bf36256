import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { REPO } from '../../support/docs.js';

interface Generator {
  readonly REGENERATE: string;
  generateReference(): Promise<Record<string, string>>;
  staleFiles(generated: Record<string, string>, root?: string): string[];
}

const generator = (): Promise<Generator> =>
  import(pathToFileURL(join(REPO, 'scripts', 'gen-reference.mjs')).href) as Promise<Generator>;

test('the committed reference (docs/reference) is what the code generates', async () => {
  const { generateReference, staleFiles, REGENERATE } = await generator();
  const generated = await generateReference();
  assert.deepEqual(Object.keys(generated).sort(), [
    'docs/reference/budgets.md',
    'docs/reference/commands.md',
    'docs/reference/config.md',
    'docs/reference/exit-codes.md',
    'docs/reference/report.md',
  ]);
  const stale = staleFiles(generated);
  assert.deepEqual(
    stale,
    [],
    `${stale.join(', ')} differ(s) from what the code generates: run \`${REGENERATE}\` and commit the result`,
  );
});

test('the reference holds every command, flag, config key, budget and exit code', async () => {
  const generated = await (await generator()).generateReference();
  const commands = generated['docs/reference/commands.md'] ?? '';
  for (const name of ['soak', 'check', 'load', 'merge', 'inspect', 'diff', 'profile', 'snapshot', 'redact', 'view'])
    assert.match(commands, new RegExp(`^## memprobe ${name}$`, 'm'));
  for (const flag of ['`-d, --duration <time>`', '`--fail-on-regression`', '`-t, --threshold <spec>`', '`--redact`'])
    assert.ok(commands.includes(flag), `commands.md lacks ${flag}`);
  assert.match(generated['docs/reference/config.md'] ?? '', /\| `probeBudgets` \|/);
  assert.match(generated['docs/reference/budgets.md'] ?? '', /\| `growthRate` \| bytes\/s \|/);
  assert.match(generated['docs/reference/exit-codes.md'] ?? '', /\| 130 \| `interrupted` \|/);
  assert.match(generated['docs/reference/report.md'] ?? '', /^### ProbeReport$/m);
});

test('a changed, missing or extra reference file is named', async () => {
  const { staleFiles } = await generator();
  const root = mkdtempSync(join(tmpdir(), 'memprobe-reference-'));
  try {
    const generated = { 'docs/reference/a.md': 'A\n', 'docs/reference/b.md': 'B\n', 'docs/reference/c.md': 'C\n' };
    const write = (path: string, text: string): void => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    };
    write('docs/reference/a.md', 'A\n');
    write('docs/reference/b.md', 'B, edited by hand\n');
    write('docs/reference/old.md', 'no longer generated\n');
    assert.deepEqual(staleFiles(generated, root), [
      'docs/reference/b.md',
      'docs/reference/c.md',
      'docs/reference/old.md',
    ]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
