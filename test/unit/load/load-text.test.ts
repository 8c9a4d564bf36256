import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatMs } from '../../../src/core/format.js';
import { renderLoadText } from '../../../src/report/load-text.js';
import { sampleLoadReport } from '../../support/load-report.js';

const report = sampleLoadReport();

test('the text report shows the step table, knee, server memory, saturation and the verdict', () => {
  const text = renderLoadText(report);
  assert.match(text, /closed model · users 1, 5/);
  assert.match(text, /step\s+users\s+req\/s\s+p50\s+p95\s+p99\s+max\s+errors\s+server memory \(per conn\)/);
  assert.match(text, /2\s+5\s+1,100\s+1\.50 ms\s+4\.00 ms\s+90\.5 ms\s+101 ms\s+3 \(ECONNRESET 2, http 503 1\)\s+8\.6 MB \(\+2\.0 KB\)/);
  assert.match(text, /knee at 5 users: from 1 to 5 users/);
  assert.match(text, /per connection \(5\)/);
  assert.match(text, /GENERATOR SATURATED: generator CPU at 97% of a core/);
  assert.match(text, /note: a note/);
  assert.match(text, /result: GENERATOR SATURATED/);
});

test('milliseconds are printed with sensible precision', () => {
  assert.deepEqual([0.4123, 4.123, 41.23, 412.3, 4123].map(formatMs), ['0.412 ms', '4.12 ms', '41.2 ms', '412 ms', '4.12 s']);
});
