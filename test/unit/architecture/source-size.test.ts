import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { sourceRoot } from './imports.js';

const MAX_COLUMNS = 120;
const MAX_LINES = 400;

function listTs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listTs(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const files = listTs(sourceRoot()).map((path) => ({ name: relative(join(sourceRoot(), '..'), path), lines: readFileSync(path, 'utf8').split('\n') }));

test(`source lines stay within ${MAX_COLUMNS} columns`, () => {
  assert.ok(files.length > 100);
  const long = files.flatMap((f) => f.lines.flatMap((line, i) => ([...line].length > MAX_COLUMNS ? [`${f.name}:${i + 1}`] : [])));
  assert.deepEqual(long, []);
});

test(`source files stay within ${MAX_LINES} lines`, () => {
  const big = files.filter((f) => f.lines.length > MAX_LINES + 1).map((f) => `${f.name}: ${f.lines.length - 1} lines`);
  assert.deepEqual(big, []);
});
