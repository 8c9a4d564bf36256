import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EMPTY_SUMMARY } from '../../../src/load/histogram.js';
import { evaluateThresholds, parseThreshold, resolveThresholds, type Figures } from '../../../src/load/thresholds.js';

test('thresholds parse with their units', () => {
  assert.deepEqual(parseThreshold('p95<500ms', 'open'), { ok: true, value: { text: 'p95<500ms', metric: 'p95', op: '<', limit: 500 } });
  assert.deepEqual(parseThreshold('errors < 5%', 'closed'), { ok: true, value: { text: 'errors<5%', metric: 'errors', op: '<', limit: 0.05 } });
  assert.deepEqual(parseThreshold('throughput>1000/s', 'open'), { ok: true, value: { text: 'throughput>1000/s', metric: 'throughput', op: '>', limit: 1000 } });
  const connect = parseThreshold('connectAvg<2s', 'ws');
  assert.ok(connect.ok && connect.value.limit === 2000);
  const knee = parseThreshold('knee>20', 'closed');
  assert.ok(knee.ok && knee.value.limit === 20);
});

test('bad thresholds each give one problem naming what is wrong', () => {
  const { problems } = resolveThresholds('open', ['p95<', 'p42<1ms', 'errors<200%', 'connectAvg<2s', 'knee>3', 'p95~3']);
  assert.equal(problems.length, 6);
  assert.match(problems[1]!, /'p42' is not a metric/);
  assert.match(problems[2]!, /more than 100%/);
  assert.match(problems[3]!, /does not apply to --rate runs/);
  assert.match(problems[4]!, /does not apply to --rate runs/);
});

test('defaults come from the requirements and are replaced metric by metric', () => {
  assert.deepEqual(resolveThresholds('closed', []).thresholds.map((t) => t.text), ['p95<500ms', 'errors<5%']);
  assert.deepEqual(resolveThresholds('ws', []).thresholds.map((t) => t.text), ['connectAvg<2s', 'lastClientP99<1s', 'errors<5%']);
  assert.deepEqual(resolveThresholds('open', ['p95<50ms', 'p99<100ms']).thresholds.map((t) => t.text), ['errors<5%', 'p95<50ms', 'p99<100ms']);
});

const step = (label: string, p95: number, errorShare: number, throughput: number): Figures => ({ label, latency: { ...EMPTY_SUMMARY, count: 10, p95 }, errorShare, throughput });

test('each threshold is checked against the worst step', () => {
  const { thresholds } = resolveThresholds('closed', ['throughput>100/s']);
  const results = evaluateThresholds(thresholds, [step('step 1 (1 user)', 20, 0, 150), step('step 2 (5 users)', 600, 0.01, 90)]);
  assert.deepEqual(
    results.map((r) => [r.threshold, r.status, r.actual, r.where]),
    [
      ['p95<500ms', 'fail', 600, 'step 2 (5 users)'],
      ['errors<5%', 'pass', 0.01, 'step 2 (5 users)'],
      ['throughput>100/s', 'fail', 90, 'step 2 (5 users)'],
    ],
  );
});

test('unmeasurable figures are skipped; the knee threshold passes with no knee or one above the limit', () => {
  const { thresholds } = resolveThresholds('closed', ['knee>10']);
  const noSuccess: Figures = { label: 'x', latency: EMPTY_SUMMARY, errorShare: 1, throughput: 0 };
  const [p95, errors, knee] = evaluateThresholds(thresholds, [noSuccess], 5);
  assert.equal(p95?.status, 'skipped');
  assert.equal(errors?.status, 'fail');
  assert.equal(knee?.status, 'fail');
  assert.equal(evaluateThresholds(thresholds, [noSuccess], null)[2]?.status, 'pass');
  assert.equal(evaluateThresholds(thresholds, [noSuccess], 20)[2]?.status, 'pass');
  assert.equal(evaluateThresholds(thresholds, [noSuccess], undefined)[2]?.status, 'skipped');
});
