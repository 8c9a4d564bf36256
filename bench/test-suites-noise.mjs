#!/usr/bin/env node
/**
 * Measures what a test runner itself adds to a leak check (not a test): checkLeak at its defaults, census off, on
 * a function that does nothing, and on a mock called once per iteration (vi.fn / jest.fn / node:test mock.fn),
 * with and without clearing the mock's recorded calls between batches. Prints the fitted bytes per iteration, its
 * interval and the rise over the run, per runner and run.
 *
 *   node bench/test-suites-noise.mjs --runs 3
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const examples = resolve(here, '../examples/test-suites');
const work = join(examples, `.noise-${process.pid}`);
const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });

const record = `
import { appendFileSync } from 'node:fs';
import { checkLeak } from 'memprobe/test';
const report = (name, check) => appendFileSync(process.env.MEMPROBE_BENCH_OUT, JSON.stringify({ name,
  heap: check.heap.growth, external: check.external.growth, status: check.status }) + '\\n');
`;
const tests = (mock, clear) => `
test('noop', async () => { report('no-op function', await checkLeak(() => {}, { census: false })); });
test('mock kept', async () => { const m = ${mock}; report('mock called each iteration, calls kept', await checkLeak(() => m(1, 'a'), { census: false })); });
test('mock cleared', async () => { const m = ${mock}; report('mock called each iteration, calls cleared per batch', await checkLeak(() => m(1, 'a'), { census: false, afterBatch: () => ${clear} })); });
`;
rmSync(work, { recursive: true, force: true });
for (const d of ['node-test', 'vitest', 'jest']) mkdirSync(join(work, d), { recursive: true });
writeFileSync(join(work, 'node-test/noise.test.mjs'), `import { test, mock } from 'node:test';\n${record}${tests('mock.fn()', 'm.mock.resetCalls()')}`);
writeFileSync(join(work, 'vitest/noise.test.mjs'), `import { test, vi } from 'vitest';\n${record}${tests('vi.fn()', 'm.mockClear()')}`);
writeFileSync(join(work, 'vitest/vitest.config.mjs'), `export default { test: { include: ['*.test.mjs'], testTimeout: 120000 } };\n`);
writeFileSync(join(work, 'jest/noise.test.mjs'), `import { jest } from '@jest/globals';\n${record}${tests('jest.fn()', 'm.mockClear()')}`);
writeFileSync(join(work, 'jest/jest.config.mjs'), `export default { rootDir: '.', testMatch: ['<rootDir>/*.test.mjs'], transform: {}, testEnvironment: 'node', testTimeout: 120000 };\n`);
const commands = {
  'node-test': ['--test', join(work, 'node-test/noise.test.mjs')],
  'vitest-forks': [join(examples, 'node_modules/vitest/vitest.mjs'), 'run', '--root', join(work, 'vitest'), '--pool', 'forks'],
  'vitest-threads': [join(examples, 'node_modules/vitest/vitest.mjs'), 'run', '--root', join(work, 'vitest'), '--pool', 'threads'],
  jest: ['--experimental-vm-modules', join(examples, 'node_modules/jest/bin/jest.js'), '--config', join(work, 'jest/jest.config.mjs')],
};
const fmt = (g) => (g ? `${g.perIteration.toFixed(1)} [${g.ciLow.toFixed(1)}, ${g.ciHigh.toFixed(1)}] B/iteration, rise ${(g.rise / 1024).toFixed(1)} KB` : 'n/a');
for (const [runner, args] of Object.entries(commands)) {
  for (let run = 0; run < Number(values.runs); run++) {
    const out = join(work, `${runner}.jsonl`);
    rmSync(out, { force: true });
    spawnSync(process.execPath, args, { cwd: examples, env: { ...process.env, MEMPROBE_BENCH_OUT: out }, encoding: 'utf8' });
    const rows = existsSync(out) ? readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l)) : [];
    for (const r of rows) console.log(`${runner} run ${run + 1}  ${r.name.padEnd(52)} ${r.status.padEnd(5)} heap ${fmt(r.heap)}; external ${fmt(r.external)}`);
  }
}
rmSync(work, { recursive: true, force: true });
