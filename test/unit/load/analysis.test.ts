import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkStarvation, decideStatus, detectKnee, judgeGenerator } from '../../../src/load/analysis.js';
import type { ThresholdResult } from '../../../src/load/types.js';

test('linear scaling with flat latency has no knee: "no degradation from 1 to 20 users"', () => {
  const knee = detectKnee([
    { users: 1, throughput: 10, p95: 101 },
    { users: 5, throughput: 49, p95: 103 },
    { users: 10, throughput: 97, p95: 104 },
    { users: 20, throughput: 190, p95: 110 },
  ]);
  assert.equal(knee.status, 'none');
  assert.match(knee.reason, /no degradation from 1 to 20 users/);
});

test('the knee is the first step where throughput stops growing while p95 rises', () => {
  const knee = detectKnee([
    { users: 1, throughput: 3000, p95: 0.4 },
    { users: 5, throughput: 12_000, p95: 0.6 },
    { users: 10, throughput: 12_600, p95: 1.3 },
    { users: 20, throughput: 12_400, p95: 2.8 },
  ]);
  assert.equal(knee.status, 'knee');
  if (knee.status !== 'knee') return;
  assert.equal(knee.users, 10);
  assert.equal(knee.previousUsers, 5);
  assert.equal(knee.efficiency, 0.05);
  assert.equal(knee.latencyRise, 2.17);
  assert.match(knee.reason, /from 5 to 10 users throughput changed \+5% \(linear would be \+100%\) while p95 rose 2\.2x/);
});

test('throughput that stalls while latency stays flat is no knee (e.g. a rate-limited client), nor is latency noise with linear throughput', () => {
  assert.equal(detectKnee([{ users: 1, throughput: 100, p95: 10 }, { users: 10, throughput: 110, p95: 11 }]).status, 'none');
  assert.equal(detectKnee([{ users: 1, throughput: 100, p95: 10 }, { users: 2, throughput: 200, p95: 30 }]).status, 'none');
});

test('gradual degradation is caught against the first step even when no single step crosses the line', () => {
  const knee = detectKnee([
    { users: 10, throughput: 1000, p95: 10 },
    { users: 12, throughput: 1080, p95: 14 },
    { users: 14, throughput: 1140, p95: 19 },
    { users: 16, throughput: 1180, p95: 26 },
  ]);
  assert.equal(knee.status, 'knee');
  if (knee.status === 'knee') {
    assert.equal(knee.users, 14);
    assert.equal(knee.previousUsers, 10);
  }
});

test('a step without any successful request is a knee; one step or a dead first step is inconclusive', () => {
  const dead = detectKnee([{ users: 1, throughput: 50, p95: 5 }, { users: 5, throughput: 0, p95: 0 }]);
  assert.equal(dead.status, 'knee');
  assert.equal(detectKnee([{ users: 1, throughput: 50, p95: 5 }]).status, 'inconclusive');
  assert.equal(detectKnee([{ users: 1, throughput: 0, p95: 0 }, { users: 2, throughput: 5, p95: 1 }]).status, 'inconclusive');
});

test('starvation: an operation far below its weight share fails; a fair mix passes', () => {
  const fair = checkStarvation([
    { name: 'create', weight: 3, completed: 2950 },
    { name: 'list', weight: 4, completed: 4080 },
    { name: 'mark read', weight: 2, completed: 1990 },
    { name: 'stats', weight: 1, completed: 980 },
  ]);
  assert.equal(fair.status, 'pass');
  assert.ok(fair.operations.every((op) => !op.starved));
  const starved = checkStarvation([
    { name: 'fast', weight: 3, completed: 3000 },
    { name: 'slow', weight: 1, completed: 300 },
  ]);
  assert.equal(starved.status, 'fail');
  assert.deepEqual(
    starved.operations.map((op) => [op.name, op.starved]),
    [
      ['fast', false],
      ['slow', true],
    ],
  );
  assert.match(starved.reason, /slow 9\.1% of completions for 25% of the weight/);
});

test('starvation: too few requests is inconclusive, not a verdict; one operation is skipped', () => {
  assert.equal(checkStarvation([{ name: 'a', weight: 99, completed: 99 }, { name: 'b', weight: 1, completed: 0 }]).status, 'inconclusive');
  assert.equal(checkStarvation([{ name: 'a', weight: 1, completed: 0 }, { name: 'b', weight: 1, completed: 0 }]).status, 'inconclusive');
  assert.equal(checkStarvation([{ name: 'a', weight: 1, completed: 10 }]).status, 'skipped');
});

test('the generator is saturated when it sends late, pegs its CPU, or reads responses late', () => {
  assert.deepEqual(judgeGenerator({ cpuPercent: 40, eventLoopP99Ms: 3, sendLagP99Ms: 1.2, unsent: 0 }), { saturated: false, reasons: [] });
  const late = judgeGenerator({ cpuPercent: 40, eventLoopP99Ms: 3, sendLagP99Ms: 25, unsent: 0 });
  assert.equal(late.saturated, true);
  assert.match(late.reasons[0]!, /sends started late: p99 25 ms/);
  assert.match(judgeGenerator({ cpuPercent: 97, eventLoopP99Ms: 3, sendLagP99Ms: null, unsent: 0 }).reasons[0]!, /CPU at 97%/);
  assert.match(judgeGenerator({ cpuPercent: 20, eventLoopP99Ms: 45, sendLagP99Ms: null, unsent: 0 }).reasons[0]!, /event loop delayed p99 45 ms \(limit 30 ms\)/);
  // --max-lag 50ms loosens the lag limit and the loop limit with it (3x).
  assert.equal(judgeGenerator({ cpuPercent: 40, eventLoopP99Ms: 45, sendLagP99Ms: 25, unsent: 0 }, 50).saturated, false);
  // 40 ms late while measuring 5 s latencies still describes the server; 40 ms late on 5 ms does not.
  assert.equal(judgeGenerator({ cpuPercent: 46, eventLoopP99Ms: 37, sendLagP99Ms: 39, unsent: 0 }, 10, 5000).saturated, false);
  assert.deepEqual(judgeGenerator({ cpuPercent: 46, eventLoopP99Ms: 37, sendLagP99Ms: 39, unsent: 0 }, 10, 5).reasons.length, 2);
  assert.match(judgeGenerator({ cpuPercent: 46, eventLoopP99Ms: 3, sendLagP99Ms: 120, unsent: 0 }, 10, 1000).reasons[0]!, /limit 100 ms/);
  // Sends dropped unsent: the schedule was not run, whatever the CPU and the lag say.
  assert.match(judgeGenerator({ cpuPercent: 40, eventLoopP99Ms: 3, sendLagP99Ms: 1, unsent: 12 }, 10, 1000).reasons[0]!, /12 intended sends were dropped unsent/);
});

test('status: fault > interrupted > generator-saturated > fail > pass', () => {
  const broken: ThresholdResult = { threshold: 'p95<1ms', metric: 'p95', op: '<', limit: 1, actual: 2, where: null, status: 'fail' };
  const base = { fault: null, interrupted: false, saturated: false, nothingMeasured: false, thresholds: [], starvation: null };
  assert.equal(decideStatus(base), 'pass');
  assert.equal(decideStatus({ ...base, nothingMeasured: true }), 'fail');
  assert.equal(decideStatus({ ...base, thresholds: [broken] }), 'fail');
  assert.equal(decideStatus({ ...base, starvation: { status: 'fail', operations: [], reason: '' } }), 'fail');
  assert.equal(decideStatus({ ...base, thresholds: [broken], saturated: true }), 'generator-saturated');
  assert.equal(decideStatus({ ...base, saturated: true, interrupted: true }), 'interrupted');
  assert.equal(decideStatus({ ...base, interrupted: true, fault: 'boom' }), 'error');
});
