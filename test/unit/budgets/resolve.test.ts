import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseBudgetFlags, resolveBudgets } from '../../../src/budgets/resolve.js';
import { validateConfig } from '../../../src/settings/validate.js';
import { DEFAULT_GC_RECOVERY_SHARE, DEFAULT_GROWTH_RATE_BYTES_PER_SECOND } from '../../../src/constants.js';

test('defaults: 0.5 MB/s growth, 5% GC recovery, no per-item budget', () => {
  const { budgets, problems } = resolveBudgets([]);
  assert.deepEqual(problems, []);
  assert.deepEqual(budgets, {
    growthRate: DEFAULT_GROWTH_RATE_BYTES_PER_SECOND,
    perItem: null,
    gcRecovery: DEFAULT_GC_RECOVERY_SHARE,
    handleGrowth: 0,
    fdGrowth: 0,
    eventLoopP99: null,
  });
  assert.equal(DEFAULT_GROWTH_RATE_BYTES_PER_SECOND, 512 * 1024);
});

test('later layers win; every bad value is reported with its source', () => {
  const { budgets, problems } = resolveBudgets([
    { source: 'probe.', spec: { growthRate: '1MB/s', perItem: '10KB' } },
    { source: 'config.', spec: { growthRate: '64KB/s', gcRecovery: 'lots' } },
    { source: '--budget ', spec: { growthRate: '16KB/s', perItem: 'big' } },
  ]);
  assert.equal(budgets.growthRate, 16 * 1024);
  assert.equal(budgets.perItem, 10 * 1024);
  assert.deepEqual(problems, ["config.gcRecovery: 'lots' is not a percentage (use e.g. 20%)", "--budget perItem: 'big' is not a size (use e.g. 512B, 2KB, 1.5MB)"]);
});

test('resource budgets: counts per minute and milliseconds', () => {
  const { budgets, problems } = resolveBudgets([{ source: '', spec: { handleGrowth: '120/h', fdGrowth: '1/s', eventLoopP99: '50ms' } }]);
  assert.deepEqual(problems, []);
  assert.equal(budgets.handleGrowth, 2);
  assert.equal(budgets.fdGrowth, 60);
  assert.equal(budgets.eventLoopP99, 50);
  assert.match(resolveBudgets([{ source: '', spec: { handleGrowth: 'some' } }]).problems[0]!, /not a count rate/);
});

test('--budget flags: name=value, unknown names and missing = are problems', () => {
  const { spec, problems } = parseBudgetFlags(['growthRate=16KB/s', 'perItem = 2KB', 'speed=9', 'gcRecovery']);
  assert.deepEqual(spec, { growthRate: '16KB/s', perItem: '2KB' });
  assert.equal(problems.length, 2);
  assert.match(problems[0]!, /'speed=9'/);
});

test('config validation lists every problem, each naming its key', () => {
  const { problems } = validateConfig({
    probes: 'offline-queue',
    duration: 'soon',
    budgets: { growthRate: 'x', colour: 'red' },
    probeBudgets: { cache: { perItem: 5 } },
    extra: true,
  });
  assert.deepEqual(problems.sort(), [
    'budgets.colour: unknown budget (known: growthRate, perItem, gcRecovery, handleGrowth, fdGrowth, eventLoopP99)',
    "budgets.growthRate: 'x' is not a rate (use e.g. 16KB/s, 0.5MB/s)",
    "duration: 'soon' is not a duration (use e.g. 500ms, 30s, 2m, 1h)",
    'extra: unknown key (known: probes, duration, maxDuration, budgets, probeBudgets, suites, outDir, history, historyWindow, failOnRegression, warmup, interval, timeout, maxOldSpaceSize, target, options, profile, snapshots, showValues, gentle, programs, load)',
    "probeBudgets.cache.perItem: must be a string such as '16KB/s', '2KB' or '20%'",
    'probes: must be an array of probe names or files',
  ]);
});

test('a valid config resolves its duration and keeps budget specs', () => {
  const { config, problems } = validateConfig({ probes: ['a'], duration: '1m', budgets: { gcRecovery: '20%' } });
  assert.deepEqual(problems, []);
  assert.equal(config.durationMs, 60_000);
  assert.deepEqual(config.budgets, { gcRecovery: '20%' });
});
