/**
 * The Node APIs memprobe depends on, checked on the Node that runs the suite (CI runs it on 20, 22, 24 and 26):
 * where one is missing or changed, this names it before an integration test fails for a less clear reason.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import module from 'node:module';
import { Session } from 'node:inspector';
import { test } from 'node:test';
import v8 from 'node:v8';

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const atLeast = (m: number, n: number): boolean => major > m || (major === m && minor >= n);

test('process.getActiveResourcesInfo lists resource types by name', () => {
  const timer = setTimeout(() => undefined, 1000);
  const types = process.getActiveResourcesInfo();
  clearTimeout(timer);
  assert.ok(types.includes('Timeout'), types.join(','));
});

test('the child flags memprobe passes are accepted: --expose-gc, --no-concurrent-array-buffer-sweeping', () => {
  const run = spawnSync(process.execPath, ['--expose-gc', '--no-concurrent-array-buffer-sweeping', '-e', 'gc(); process.stdout.write(typeof gc)']);
  assert.equal(run.status, 0, run.stderr.toString());
  assert.equal(run.stdout.toString(), 'function');
});

test('module hooks: registerHooks from 22.15 (register is deprecated on 26), register before', () => {
  const hooks = (module as unknown as { registerHooks?: unknown }).registerHooks;
  assert.equal(typeof hooks === 'function', atLeast(22, 15) || major >= 23);
  if (typeof hooks !== 'function') assert.equal(typeof module.register, 'function');
});

test('type stripping is on by default from 22.18', () => {
  const stripping = (process.features as { typescript?: unknown }).typescript;
  if (atLeast(22, 18)) assert.ok(stripping === 'strip' || stripping === 'transform', String(stripping));
});

test('v8.queryObjects counts live objects by constructor (from 22; 20.13 too)', { skip: !atLeast(20, 13) }, () => {
  class Marker {}
  const kept = [new Marker(), new Marker(), new Marker()];
  const count = (v8 as unknown as { queryObjects: (c: unknown, o: { format: 'count' }) => number }).queryObjects(Marker, { format: 'count' });
  assert.equal(count, kept.length);
});

test('inspector: sampling heap profile, CPU profile and a streamed heap snapshot', async () => {
  const session = new Session();
  session.connect();
  const post = (method: string, params: object = {}): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result as Record<string, unknown>))));
  try {
    await post('HeapProfiler.enable');
    await post('HeapProfiler.startSampling', { samplingInterval: 1024 });
    const kept = Array.from({ length: 20_000 }, (_, i) => ({ i, s: `x${i}` }));
    const { profile } = (await post('HeapProfiler.stopSampling')) as { profile: { head: { children: unknown[] } } };
    assert.ok(profile.head.children.length > 0 && kept.length > 0);
    await post('Profiler.enable');
    await post('Profiler.start');
    const cpu = (await post('Profiler.stop')) as { profile: { nodes: unknown[] } };
    assert.ok(cpu.profile.nodes.length > 0);
    let chunks = 0;
    session.on('HeapProfiler.addHeapSnapshotChunk', () => chunks++);
    await post('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
    assert.ok(chunks > 0);
  } finally {
    session.disconnect();
  }
});
