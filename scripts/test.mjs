#!/usr/bin/env node
/**
 * Runs node's own test runner on the built test files, one file at a time.
 *
 * Why a script: Node 21+ takes files or globs but not a folder (`node --test dist/test/` fails there), and
 * Node 20 takes no globs, so the files are listed here and passed by name on every Node.
 *
 *   node scripts/test.mjs                 every test file under dist/test
 *   node scripts/test.mjs --smoke         the smoke subset (unit tests and one integration file per command)
 *   node scripts/test.mjs soak heap-cli   only the files whose path contains one of these words
 *
 * Integration tests measure real child processes: two files at once compete for the 2 cores of a CI machine.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const TEST_ROOT = 'dist/test';

/** One integration file per command: soak (leak, clean, .ts probe), program mode, snapshot/inspect/diff, load, check, view. */
const SMOKE = [
  'unit/',
  'integration/soak-cli.test.js',
  'integration/soak-program.test.js',
  'integration/heap-cli.test.js',
  'integration/snapshot-capture.test.js',
  'integration/load-cli.test.js',
  'integration/check-cli.test.js',
  'integration/view-cli.test.js',
];

const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const words = args.filter((a) => a !== '--smoke');

if (!existsSync(TEST_ROOT)) {
  console.error(`memprobe tests: ${TEST_ROOT} is missing; build first (npx tsc -p tsconfig.json)`);
  process.exit(2);
}
const all = readdirSync(TEST_ROOT, { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.test.js'))
  .map((f) => f.split('\\').join('/'))
  .sort();
const chosen = all.filter(
  (f) => (!smoke || SMOKE.some((s) => f.startsWith(s))) && (words.length === 0 || words.some((w) => f.includes(w))),
);
if (chosen.length === 0) {
  console.error(`memprobe tests: no test file matches ${words.join(' ')}`);
  process.exit(2);
}
// --test-concurrency came in 20.10; before it, Node 20 ran one file per spare core (one on 2 cores).
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const oneAtATime = major > 20 || minor >= 10 ? ['--test-concurrency=1'] : [];
console.log(`memprobe tests: ${chosen.length} files on Node ${process.version}${smoke ? ' (smoke subset)' : ''}`);
const run = spawnSync(
  process.execPath,
  ['--test', ...oneAtATime, ...chosen.map((f) => join(TEST_ROOT, f))],
  { stdio: 'inherit' },
);
process.exit(run.status ?? 1);
