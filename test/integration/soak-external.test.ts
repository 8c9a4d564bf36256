import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ProbeReport, SoakReport } from '../../src/types.js';
import { ROOT, runCli, tempDir } from '../support/cli.js';

// Dead Buffers churned through a small pool: right after a forced GC, V8's concurrent array-buffer sweeper
// has not freed them yet unless memprobe asks for exact sweeping, and `external` then reads MB/s of noise.
const TIGHT = 'growthRate=1KB/s';

async function soak(args: string[]): Promise<{ code: number | null; output: string; probe: ProbeReport }> {
  const json = join(tempDir(), 'report.json');
  const result = await runCli(['soak', '--json', json, '--budget', TIGHT, ...args]);
  const report = JSON.parse(readFileSync(json, 'utf8')) as SoakReport;
  return { code: result.code, output: result.stdout + result.stderr, probe: report.probes[0]! };
}

/**
 * External memory does not grow: the external budget passes a 1 KB/s limit, and even the upper end of the slope's
 * interval is under it (unswept Buffers read MB/s either way; a one-time release early on may read as a decline).
 */
function assertFlatExternal(probe: ProbeReport, output: string): void {
  const external = probe.budgets.find((b) => b.name === 'growthRate' && b.memory === 'external');
  assert.equal(external?.status, 'pass', `${JSON.stringify(probe.externalGrowth)}\n${output}`);
  assert.ok(probe.externalGrowth!.ciHigh < 1024, JSON.stringify(probe.externalGrowth));
  // Not a vacuous pass: the pool really churned external memory between samples.
  assert.ok(Math.max(...probe.samples.map((s) => s.external)) > 64 * 2048, 'the pool holds 128 KB outside the heap');
}

for (const name of ['buffer-pool', 'array-buffer-churn']) {
  test(`probe mode: a clean ${name} probe reads no external growth at a ${TIGHT} budget`, async () => {
    const { code, output, probe } = await soak([join(ROOT, 'fixtures', 'bench-probes', `${name}.mjs`), '--duration', '6s']);
    assert.ok(code === 0 || code === 1, output); // the heap side may not be flat to 1 KB/s in 6 s; external must be
    assertFlatExternal(probe, output);
  });
}

const program = join(ROOT, 'fixtures', 'programs', 'buffer-pool-program.mjs');

test('program mode, `node prog`: a clean Buffer pool reads no external growth', async () => {
  const { code, output, probe } = await soak(['--duration', '6s', '--', 'node', program]);
  assert.ok(code === 0 || code === 1, output);
  assertFlatExternal(probe, output);
});

test('program mode through another command (inspector via NODE_OPTIONS): no external growth either', async () => {
  const { code, output, probe } = await soak(['--duration', '6s', '--', 'env', 'node', program]);
  assert.ok(code === 0 || code === 1, output);
  assertFlatExternal(probe, output);
});
