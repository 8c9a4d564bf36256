import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseShard, checkRuns, type ShardInput } from '../../../src/engine/check-shard.js';
import type { SoakSettings } from '../../../src/engine/soak-settings.js';
import { configHash, stableStringify } from '../../../src/shard/config-hash.js';

const settings: SoakSettings = {
  durationMs: 60_000,
  durationGiven: true,
  maxDurationMs: 180_000,
  warmupMs: undefined,
  sampleIntervalMs: 250,
  stallTimeoutMs: 30_000,
  maxOldSpaceSizeMb: undefined,
  cliBudgets: {},
  probeOptions: {},
  profile: { heap: false, cpu: false },
  target: undefined,
  layers: () => [],
  snapshots: false,
};

/** A checkout at `root` with five probes and one program. */
const input = (root: string, extra: Partial<ShardInput> = {}): ShardInput => ({
  files: ['a', 'b', 'c', 'd', 'e'].map((n) => `${root}/probes/${n}.mjs`),
  programs: [{ command: ['node', 'server.js'], drive: undefined, rate: undefined }],
  loads: [],
  settings,
  config: undefined,
  suites: [],
  cwd: root,
  ...extra,
});

test('stableStringify / configHash: key order does not matter, values do', () => {
  assert.equal(stableStringify({ b: 1, a: [{ d: 2, c: undefined }] }), '{"a":[{"d":2}],"b":1}');
  assert.equal(configHash({ x: 1, y: 2 }), configHash({ y: 2, x: 1 }));
  assert.notEqual(configHash({ x: 1 }), configHash({ x: 2 }));
  assert.match(configHash({}), /^sha256:[0-9a-f]{16}$/);
});

test('checkRuns: each probe and program keeps duration / (probes + programs), as unsharded; keys are relative', () => {
  const runs = checkRuns(input('/ci/runner-1'));
  assert.deepEqual(runs.map((r) => [r.kind, r.index, r.key, r.expectedMs]), [
    ['probe', 0, 'probes/a.mjs', 10_000], ['probe', 1, 'probes/b.mjs', 10_000], ['probe', 2, 'probes/c.mjs', 10_000],
    ['probe', 3, 'probes/d.mjs', 10_000], ['probe', 4, 'probes/e.mjs', 10_000], ['program', 5, 'node server.js', 10_000],
  ]);
});

test('chooseShard: every shard of one check agrees on the hash, wherever the runner checked out; the shares cover the check', () => {
  const shards = [1, 2, 3].map((index) => chooseShard(input(`/ci/runner-${index}`), { index, count: 3 }));
  assert.equal(new Set(shards.map((s) => s.configHash)).size, 1);
  assert.deepEqual(shards.map((s) => s.files.map((f) => f.replace(/^\/ci\/runner-\d/, ''))), [['/probes/c.mjs'], ['/probes/a.mjs', '/probes/d.mjs'], ['/probes/b.mjs', '/probes/e.mjs']]);
  // Six equal runs dealt by key: 'node server.js' sorts before 'probes/', so the program goes first, to shard 1.
  assert.deepEqual(shards.map((s) => s.programs.length), [1, 0, 0]);
  const other = chooseShard(input('/ci/runner-1', { settings: { ...settings, durationMs: 30_000 } }), { index: 1, count: 3 });
  assert.notEqual(other.configHash, shards[0]!.configHash);
  assert.notEqual(chooseShard(input('/ci/runner-1'), { index: 1, count: 4 }).configHash, shards[0]!.configHash);
  assert.notEqual(chooseShard(input('/ci/runner-1', { suites: ['nightly'] }), { index: 1, count: 3 }).configHash, shards[0]!.configHash);
});
