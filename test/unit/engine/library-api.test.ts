import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, check, soak } from '../../../src/index.js';

test('the library calls take only the options a user sets: a bad one is one ConfigError, before anything runs', async () => {
  const rejected = await soak({ probes: ['offline-queue'], duration: 'soon' }).catch((error: unknown) => error);
  assert.ok(rejected instanceof ConfigError, String(rejected));
  assert.match(rejected.message, /--duration: 'soon' is not a duration/);
  const checked = await check({ suites: ['none'], warmup: '2x' }, {}, '/').catch((error: unknown) => error);
  assert.ok(checked instanceof ConfigError, String(checked));
  assert.match(checked.message, /--warmup: '2x' is not a duration/);
});
