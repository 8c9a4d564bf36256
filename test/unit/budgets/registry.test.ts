import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Measured } from '../../../src/budgets/budget.js';
import { checkBudgets } from '../../../src/budgets/check.js';
import { BUDGETS } from '../../../src/budgets/registry.js';
import { resolveBudgets } from '../../../src/budgets/resolve.js';
import { budgetFigures } from '../../../src/report/figures.js';

const growth = (bytesPerSecond: number) => ({
  bytesPerSecond,
  bytesPerIteration: null,
  ciLow: bytesPerSecond - 10,
  ciHigh: bytesPerSecond + 10,
  recentBytesPerSecond: bytesPerSecond,
  recentCiLow: bytesPerSecond - 10,
  recentCiHigh: bytesPerSecond + 10,
  strictCiLow: bytesPerSecond - 20,
  recentStrictCiLow: bytesPerSecond - 20,
  minPairSlope: bytesPerSecond - 30,
  floorBytesPerSecond: bytesPerSecond,
  samples: 40,
});

const measured: Measured = {
  growth: growth(100_000),
  externalGrowth: growth(0),
  perItemBytes: 512,
  gcRecovery: { recovered: 0.5, grewBytes: 4 << 20, returnedBytes: 2 << 20, freedPerGc: 0.3 },
  resources: {
    handles: { perMinute: 0, ciLow: 0, ciHigh: 0, first: 5, last: 5 },
    growingHandleTypes: [],
    fds: { perMinute: 0, ciLow: 0, ciHigh: 0, first: 20, last: 20 },
    eventLoopP99Ms: 12,
    eventLoopP99MaxMs: 20,
    cpuMicrosPerIteration: null,
    cpuPerIterationChangePerMinute: null,
  },
  soakSamples: 40,
  hasTeardown: true,
};

test('every budget of the registry parses its example and checks into results that carry its direction and unit', () => {
  for (const budget of BUDGETS) {
    const parsed = budget.parse(budget.example);
    assert.ok(parsed.ok, `${budget.name}: ${budget.example}`);
    const results = budget.check(measured, parsed.value);
    assert.ok(results.length > 0);
    for (const result of results) {
      assert.equal(result.name, budget.name);
      assert.equal(result.direction, budget.direction);
      assert.equal(result.unit, budget.unit);
      assert.equal(result.limit, parsed.value);
    }
  }
});

test('set budgets are checked in registry order; unset ones (no default) are left out', () => {
  const defaults = resolveBudgets([]).budgets;
  assert.deepEqual(checkBudgets(measured, defaults).map((r) => r.name), ['growthRate', 'growthRate', 'gcRecovery', 'handleGrowth', 'fdGrowth']);
  const all = resolveBudgets([{ source: '', spec: { perItem: '1KB', eventLoopP99: '50ms' } }]).budgets;
  assert.deepEqual(checkBudgets(measured, all).map((r) => r.name), BUDGETS.flatMap((b) => (b.name === 'growthRate' ? [b.name, b.name] : [b.name])));
});

test('reports word a result from its numbers, direction and unit, whatever its reason says', () => {
  const [heap] = checkBudgets(measured, resolveBudgets([{ source: '', spec: { growthRate: '16KB/s' } }]).budgets);
  assert.equal(heap!.status, 'fail');
  const reworded = { ...heap!, reason: 'reworded entirely' };
  assert.equal(budgetFigures(reworded), 'growthRate (heap): +97.7 KB/s, budget at most 16.0 KB/s');
  const recovery = checkBudgets(measured, resolveBudgets([]).budgets).find((r) => r.name === 'gcRecovery')!;
  assert.equal(budgetFigures({ ...recovery, reason: '' }), 'gcRecovery: 50%, budget at least 5.0%');
});
