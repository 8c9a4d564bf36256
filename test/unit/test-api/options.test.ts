import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../../src/errors.js';
import { parseBudget, resolveOptions } from '../../../src/test-api/options.js';

test('budgets per iteration and per second', () => {
  assert.deepEqual(parseBudget('64B/iteration'), { ok: true, value: { kind: 'perIteration', bytes: 64, text: '64B/iteration' } });
  assert.deepEqual(parseBudget('1KB/iter'), { ok: true, value: { kind: 'perIteration', bytes: 1024, text: '1KB/iter' } });
  assert.deepEqual(parseBudget('16KB/s'), { ok: true, value: { kind: 'perSecond', bytes: 16384, text: '16KB/s' } });
  assert.equal(parseBudget('64B').ok, false);
  assert.equal(parseBudget('lots/iteration').ok, false);
});

test('defaults: 2000 iterations in 16 batches after 500 warm-up iterations, 64 B/iteration', () => {
  const options = resolveOptions({});
  assert.deepEqual(options.length, { kind: 'iterations', count: 2000 });
  assert.deepEqual(options.warmup, { kind: 'iterations', count: 500 });
  assert.equal(options.batches, 16);
  assert.equal(options.budget.bytes, 64);
  assert.equal(options.snapshots, false);
});

test('a duration replaces the iteration count, with a warm-up a quarter as long', () => {
  const options = resolveOptions({ duration: '2s' });
  assert.deepEqual(options.length, { kind: 'duration', ms: 2000 });
  assert.deepEqual(options.warmup, { kind: 'duration', ms: 500 });
});

test('every problem is reported at once', () => {
  assert.throws(
    () => resolveOptions({ iterations: 10, duration: '1s', budget: '64B', batches: 3, warmup: -1, snapshots: 'always' as never }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.problems.length, 5, error.problems.join('\n'));
      assert.match(error.message, /iterations and duration: give one of them/);
      assert.match(error.message, /budget: '64B' is not a budget/);
      assert.match(error.message, /batches: must be a whole number of at least 8/);
      return true;
    },
  );
});
