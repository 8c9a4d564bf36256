import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MIN_SAMPLES_FOR_VERDICT, SAMPLE_JITTER } from '../../../src/constants.js';
import { maxSamples, nextSampleInterval } from '../../../src/runner/interval.js';

const inputs = { sampleIntervalMs: 250, gcShareTarget: 0.04, durationMs: 28_000, meanGcMs: 0 };

test('the base interval, jittered within its bounds', () => {
  assert.equal(nextSampleInterval(inputs, () => 0.5), 250);
  assert.equal(nextSampleInterval(inputs, () => 0), 250 * (1 - SAMPLE_JITTER));
  assert.equal(nextSampleInterval(inputs, () => 1), 250 * (1 + SAMPLE_JITTER));
});

test('slow forced GCs stretch the interval to keep their share, capped so the window keeps enough samples', () => {
  assert.equal(nextSampleInterval({ ...inputs, meanGcMs: 20 }, () => 0.5), 500);
  assert.equal(nextSampleInterval({ ...inputs, meanGcMs: 400 }, () => 0.5), 28_000 / (2 * MIN_SAMPLES_FOR_VERDICT));
});

test('the store is sized for the shortest jittered interval', () => {
  const capacity = maxSamples(28_000, 250);
  assert.ok(capacity >= 28_000 / (250 * (1 - SAMPLE_JITTER)) + 2);
});
