import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { SoakReport } from '../../src/types.js';
import { runCli } from '../support/cli.js';
import { REAL_PROGRAMS, realProgramsSkip, soakDir } from '../support/real-programs.js';

// Programs built from real npm packages (fixtures/real-programs, its own package.json: `npm ci --prefix
// fixtures/real-programs` installs them). Each leaky program fails a 16 KB/s budget and its top leak cluster names
// the store; its FIXED=1 twin reports no leak cluster.
const FOLDER = REAL_PROGRAMS;

async function soakProgram(program: string, fixed: boolean) {
  const dir = soakDir();
  const json = join(dir, 'report.json');
  const args = [
    'soak',
    '--duration',
    '15s',
    '--warmup',
    '5s',
    '--snapshots',
    '--out',
    dir,
    '--drive',
    join(FOLDER, 'driver.mjs'),
    '--budget',
    'growthRate=16KB/s',
    '--json',
    json,
    '--no-progress',
  ];
  const command = [...(fixed ? ['env', 'FIXED=1'] : []), 'node', join(FOLDER, `${program}.mjs`)];
  const result = await runCli([...args, '--', ...command]);
  return { ...result, report: JSON.parse(readFileSync(json, 'utf8')) as SoakReport };
}

/**
 * The fixed twin passes, or fails only on V8's compiled code: express programs still JIT-compile ~10-60 KB/s after a
 * 5 s warm-up (bench/real-programs.mjs measured it), which the report must then name instead of a leak cluster.
 */
function assertFixedTwin(fixed: Awaited<ReturnType<typeof soakProgram>>): void {
  assert.deepEqual(fixed.leftovers, []);
  if (fixed.code === 0) return;
  assert.equal(fixed.code, 1, fixed.stdout + fixed.stderr);
  const probe = fixed.report.probes[0]!;
  assert.deepEqual(probe.leakClusters, [], fixed.stdout);
  assert.equal(probe.snapshotGrowth?.grew[0]?.name, '(compiled code)', fixed.stdout);
  assert.match(fixed.stdout, /grew most from baseline to final snapshot: \(compiled code\)/);
}

const skip = realProgramsSkip;

test(
  'express-session MemoryStore without expiry: fails, one cluster of session JSON strings held by store.sessions; pruned twin has none',
  { skip },
  async () => {
    const leaky = await soakProgram('session-store', false);
    assert.equal(leaky.code, 1, leaky.stdout + leaky.stderr);
    const probe = leaky.report.probes[0]!;
    const top = probe.leakClusters?.[0];
    assert.ok(top, JSON.stringify(probe.snapshotGrowth));
    assert.equal(top.constructor, '(string)');
    assert.deepEqual(top.path.slice(-3), ['store (MemoryStore)', 'sessions (Object)', '[*] (string)']);
    // ~200 new visitors a second for the ~5 s between the baseline and mid-soak snapshots.
    assert.ok(top.count > 300, JSON.stringify(top));
    // Session ids and their JSON records are data: by kind and length, not their characters (no --show-values).
    assert.match(top.samples?.[0] ?? '', /^string\(32\): string\(\d+\)$/);
    assert.match(leaky.stdout, /held by .*store \(MemoryStore\) -> sessions \(Object\) -> \[\*\] \(string\)/);
    assert.deepEqual(leaky.leftovers, []);
    assertFixedTwin(await soakProgram('session-store', true));
  },
);

test(
  'Map response cache by URL: fails, one cluster of cached bodies held by the Map; lru-cache twin has none',
  { skip },
  async () => {
    const leaky = await soakProgram('response-cache', false);
    assert.equal(leaky.code, 1, leaky.stdout + leaky.stderr);
    const top = leaky.report.probes[0]!.leakClusters?.[0];
    assert.ok(top, leaky.stdout);
    assert.equal(top.constructor, 'Object');
    assert.deepEqual(top.path.slice(-2), ['cache (Map)', '[*] (Object)']);
    assert.ok(top.count > 300, JSON.stringify(top));
    // The Map's new URL keys are reported: members of the same cluster, or (Node 26, where V8 internalizes a Map's
    // string keys and a key's shortest path can come another way) a string cluster of their own, as many.
    const clusters = leaky.report.probes[0]!.leakClusters ?? [];
    const keys =
      top.members?.find((m) => m.constructor === '(string)') ?? clusters.find((c) => c.constructor === '(string)');
    assert.ok(keys && keys.count >= top.count * 0.9, JSON.stringify(clusters));
    assert.deepEqual(leaky.leftovers, []);
    assertFixedTwin(await soakProgram('response-cache', true));
  },
);
