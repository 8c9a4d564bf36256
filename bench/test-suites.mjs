#!/usr/bin/env node
/**
 * Benchmark (not a test) of the leak assertions inside real test runners: node:test, vitest (forks and threads
 * pools) and jest. Every case of test-suites-cases.mjs runs as one test at the defaults with a 64 B/iteration
 * budget; each run is one invocation of the runner. Prints, per runner and case: false failures (clean) or
 * catches with the leaking constructor named (leaks), the assertion's median and max time, and the share of the
 * runner's wall time the assertions took.
 *
 *   npm run build && npm ci --prefix examples/test-suites
 *   node bench/test-suites.mjs --runs 20 [--runners node-test,vitest-forks,vitest-threads,jest] [--json out.json]
 *   node bench/test-suites.mjs --runs 3 --baseline     the same suites, each test calling its function once
 *
 * vitest 5 needs Node 22+; run this with Node 22, 24 or 26.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { CASES } from './test-suites-cases.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const examples = resolve(here, '../examples/test-suites');
const work = join(examples, `.bench-${process.pid}`);
const casesUrl = pathToFileURL(join(here, 'test-suites-cases.mjs')).href;
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '20' },
    runners: { type: 'string', default: 'node-test,vitest-forks,vitest-threads,jest' },
    json: { type: 'string' },
    // The same suites with each assertion replaced by one call of the function: the runner's own time, to which
    // the assertions' time is added.
    baseline: { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
const runners = values.runners.split(',');
if (!existsSync(join(examples, 'node_modules/vitest'))) {
  console.error('bench/test-suites: run `npm ci --prefix examples/test-suites` first');
  process.exit(2);
}

const body = (assertion) => `
import { appendFileSync } from 'node:fs';
import { CASES } from '${casesUrl}';
for (const [name, make] of Object.entries(CASES)) {
  test(name, async () => {
    const fn = make();
    const start = performance.now();
    let message = null;
    try {
      await ${assertion};
    } catch (error) {
      message = String(error.message);
    }
    appendFileSync(process.env.MEMPROBE_BENCH_OUT, JSON.stringify({ name, ms: performance.now() - start, message }) + '\\n');
  }, 120_000);
}
`;
const nodeTest = `import { test } from 'node:test';\nimport { assertNoLeak } from 'memprobe/test';\n${body(values.baseline ? 'fn()' : "assertNoLeak(fn, { budget: '64B/iteration' })").replace(', 120_000)', ')')}`;
const matcher = body(values.baseline ? 'fn()' : "expect(fn).not.toLeak({ budget: '64B/iteration' })");

function prepare() {
  rmSync(work, { recursive: true, force: true });
  for (const dir of ['node-test', 'vitest', 'jest']) mkdirSync(join(work, dir), { recursive: true });
  writeFileSync(join(work, 'node-test/cases.test.mjs'), nodeTest);
  writeFileSync(join(work, 'vitest/cases.test.mjs'), `import { expect, test } from 'vitest';\n${matcher}`);
  writeFileSync(join(work, 'vitest/vitest.config.mjs'), `export default { test: { include: ['*.test.mjs'], setupFiles: ['memprobe/vitest'], testTimeout: 120000 } };\n`);
  writeFileSync(join(work, 'jest/cases.test.mjs'), matcher);
  writeFileSync(join(work, 'jest/jest.config.mjs'), `export default { rootDir: '.', testMatch: ['<rootDir>/*.test.mjs'], setupFilesAfterEnv: ['memprobe/jest'], transform: {}, testEnvironment: 'node', testTimeout: 120000 };\n`);
}

const vitestBin = join(examples, 'node_modules/vitest/vitest.mjs');
const jestBin = join(examples, 'node_modules/jest/bin/jest.js');
const COMMANDS = {
  'node-test': () => ['--test', join(work, 'node-test/cases.test.mjs')],
  'vitest-forks': () => [vitestBin, 'run', '--root', join(work, 'vitest'), '--pool', 'forks'],
  'vitest-threads': () => [vitestBin, 'run', '--root', join(work, 'vitest'), '--pool', 'threads'],
  jest: () => ['--experimental-vm-modules', jestBin, '--config', join(work, 'jest/jest.config.mjs')],
};

function runOnce(runner, out) {
  rmSync(out, { force: true });
  const start = performance.now();
  const result = spawnSync(process.execPath, COMMANDS[runner](), { cwd: examples, env: { ...process.env, MEMPROBE_BENCH_OUT: out, NO_COLOR: '1' }, encoding: 'utf8' });
  const wallMs = performance.now() - start;
  const records = existsSync(out) ? readFileSync(out, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
  if (records.length !== Object.keys(CASES).length) {
    console.error(`${runner}: ${records.length} records (exit ${result.status})\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`);
  }
  return { wallMs, records };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? NaN;
const topConstructor = (message) => /live count grew[^\n]*\n\s+(\S+) \+/.exec(message ?? '')?.[1] ?? null;

prepare();
const summary = { node: process.version, runs, runners: {} };
for (const runner of runners) {
  const perCase = Object.fromEntries(Object.keys(CASES).map((name) => [name, { failed: 0, named: 0, ms: [] }]));
  let wall = 0;
  let asserted = 0;
  const walls = [];
  for (let run = 0; run < runs; run++) {
    const { wallMs, records } = runOnce(runner, join(work, `${runner}.jsonl`));
    wall += wallMs;
    walls.push(wallMs);
    for (const r of records) {
      const c = perCase[r.name];
      c.ms.push(r.ms);
      asserted += r.ms;
      if (r.message !== null) c.failed++;
      if (CASES[r.name].leak && topConstructor(r.message) === CASES[r.name].leak) c.named++;
      if (r.message !== null && !CASES[r.name].leak && !values.baseline) console.error(`${runner} false failure: ${r.name}\n${r.message}`);
    }
    process.stderr.write(`${runner} run ${run + 1}/${runs}: ${(wallMs / 1000).toFixed(1)} s\n`);
  }
  summary.runners[runner] = { wallMs: wall, assertionMs: asserted, share: asserted / wall, cases: perCase };
  if (values.baseline) {
    console.log(`\n${runner} baseline (${runs} runs, each test calls its function once): median wall ${(median(walls) / 1000).toFixed(2)} s`);
    continue;
  }
  console.log(`\n${runner} (${runs} runs, assertions ${(asserted / 1000).toFixed(1)} s of ${(wall / 1000).toFixed(1)} s wall: ${((100 * asserted) / wall).toFixed(0)}%; median wall per run ${(median(walls) / 1000).toFixed(2)} s)`);
  for (const [name, c] of Object.entries(perCase)) {
    const leak = CASES[name].leak;
    const verdict = leak ? `caught ${c.failed}/${c.ms.length}, ${leak} named ${c.named}/${c.ms.length}` : `false failures ${c.failed}/${c.ms.length}`;
    console.log(`  ${name.padEnd(44)} ${verdict.padEnd(40)} median ${(median(c.ms) / 1000).toFixed(2)} s, max ${(Math.max(...c.ms) / 1000).toFixed(2)} s`);
  }
}
if (values.json) writeFileSync(values.json, JSON.stringify(summary, null, 2));
rmSync(work, { recursive: true, force: true });
