import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { load, resolveLoad } from '../../../src/engine/load.js';
import { ConfigError, UsageError } from '../../../src/errors.js';

test('load() refuses bad options with one ConfigError naming every problem, before anything runs', async () => {
  const error = await load({ url: 'http://10.0.0.1/', rate: '5', users: '1', duration: 'soon' }).catch(
    (e: unknown) => e,
  );
  assert.ok(error instanceof ConfigError);
  assert.equal(error.problems.length, 3);
  assert.match(error.problems.join('\n'), /only targets this machine/);
  assert.match(error.problems.join('\n'), /cannot be combined/);
  assert.match(error.problems.join('\n'), /--duration/);
});

test('a shard that does not fit is a usage error; a fitting one takes its share of the rate', async () => {
  await assert.rejects(resolveLoad({ url: 'http://127.0.0.1:1/', rate: '100/s', shard: '3/2' }), UsageError);
  await assert.rejects(resolveLoad({ shard: '1/2' }), UsageError); // the embedded service cannot be shared
  const resolved = await resolveLoad({ url: 'http://127.0.0.1:1/', rate: '100/s', shard: '1/4' });
  assert.equal(resolved.options.rate, 25);
  assert.deepEqual(resolved.shard, { index: 1, count: 4 });
});

test('load() runs against a local server and tells its progress through the sink', async () => {
  const server = createServer((_, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const phases: string[] = [];
  try {
    const report = await load(
      { url: `http://127.0.0.1:${port}/`, rate: '50/s', duration: '600ms', warmup: '0', shard: '1/1' },
      { progress: { phase: (text) => phases.push(text), tick: () => undefined } },
    );
    assert.equal(report.mode, 'open');
    assert.ok(report.throughput > 0);
    assert.deepEqual(report.shard, { index: 1, count: 1 });
    assert.ok(phases.some((p) => p.startsWith('measuring')));
  } finally {
    server.close();
  }
});
