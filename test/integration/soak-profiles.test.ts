import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { SoakReport } from '../../src/types.js';
import { fixture, runCli, tempDir } from '../support/cli.js';

test('--profile heap,cpu: the leaking function is the top surviving allocation site; files are DevTools profiles', async () => {
  const out = tempDir();
  const json = join(out, 'report.json');
  const result = await runCli(['soak', fixture('leaks-from-function.mjs'), '--duration', '8s', '--profile', 'heap,cpu', '--out', out, '--json', json]);
  // Under the growth budget, but a leak all the same: the leak question calls it (exit 1) and names its store.
  assert.equal(result.code, 1, result.stdout + result.stderr);
  const probe = (JSON.parse(readFileSync(json, 'utf8')) as SoakReport).probes[0]!;
  assert.equal(probe.leak?.status, 'leak', result.stdout);
  assert.equal(probe.budgets.find((b) => b.name === 'growthRate')?.status, 'pass');
  const heap = probe.profiles.heap!;
  assert.equal(heap.topSites[0]?.functionName, 'rememberRequest');
  assert.match(heap.topSites[0]!.location, /fixtures\/probes\/leaks-from-function\.mjs:5:\d+$/);
  assert.ok(heap.topSites[0]!.share > 0.5, String(heap.topSites[0]!.share));
  assert.match(result.stdout, /surviving allocations by site/);

  const heapProfile = JSON.parse(readFileSync(heap.file, 'utf8')) as { head: { callFrame: unknown; children: unknown[] }; samples: unknown[] };
  assert.ok(heapProfile.head.callFrame && Array.isArray(heapProfile.head.children) && Array.isArray(heapProfile.samples));
  assert.equal(statSync(heap.file).mode & 0o777, 0o600);

  const cpu = probe.profiles.cpu!;
  const cpuProfile = JSON.parse(readFileSync(cpu.file, 'utf8')) as { nodes: unknown[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] };
  assert.ok(cpuProfile.nodes.length > 1 && cpuProfile.endTime > cpuProfile.startTime);
  assert.equal(cpuProfile.samples.length, cpuProfile.timeDeltas.length);
  assert.ok(cpu.topFunctions.length > 0);
});

test('--profile heap: a small hot leaking function is charged its own bytes, not to the loop it is inlined into', async () => {
  // ~2,000 small objects/s kept by a three-line function beside a churning one: V8 inlines both wherever it
  // can, and the sampling heap profiler charges the physical frame (memprobe's own loop, before the fix).
  const out = tempDir();
  const json = join(out, 'report.json');
  const result = await runCli(['soak', fixture('leaks-small-objects.mjs'), '--duration', '6s', '--profile', 'heap', '--out', out, '--json', json]);
  assert.equal(result.code, 1, result.stdout + result.stderr); // the leak question calls it
  assert.equal((JSON.parse(readFileSync(json, 'utf8')) as SoakReport).probes[0]!.leak?.status, 'leak');
  const heap = (JSON.parse(readFileSync(json, 'utf8')) as SoakReport).probes[0]!.profiles.heap!;
  const shown = JSON.stringify(heap);
  assert.equal(heap.topSites[0]?.functionName, 'rememberVisit', shown);
  assert.match(heap.topSites[0]!.location, /fixtures\/probes\/leaks-small-objects\.mjs:6:\d+$/);
  // Most of what survived is charged to program code (before the fix, memprobe's loop held ~90% of it), and
  // most of that to the leaking function.
  assert.ok(heap.programShare > 0.5, shown);
  assert.ok(heap.topSites[0]!.share > 0.5, shown);
  assert.ok(heap.programBytes + heap.toolBytes <= heap.sampledBytes, shown);
  for (const site of heap.topSites) assert.doesNotMatch(site.location, /dist\/src\/|^node:inspector/, shown);
  assert.match(result.stdout, /of [\d.]+ [KM]?B sampled charged to program functions/);
});
