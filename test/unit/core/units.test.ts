import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { formatBytes, formatCount } from '../../../src/core/format.js';
import { parseDuration, parseRate, parseShare, parseSize } from '../../../src/core/units.js';

const value = <T>(parsed: { ok: true; value: T } | { ok: false; problem: string }): T | string =>
  parsed.ok ? parsed.value : parsed.problem;

test('durations: ms, s, m, h; a bare number is seconds', () => {
  assert.equal(value(parseDuration('500ms')), 500);
  assert.equal(value(parseDuration('30s')), 30_000);
  assert.equal(value(parseDuration('1.5m')), 90_000);
  assert.equal(value(parseDuration('1h')), 3_600_000);
  assert.equal(value(parseDuration('10')), 10_000);
  assert.match(String(value(parseDuration('abc'))), /'abc' is not a duration/);
  assert.match(String(value(parseDuration('0s'))), /more than zero/);
  assert.match(String(value(parseDuration('5 parsecs'))), /not a duration/);
});

test('sizes are binary (1 KB = 1024 B)', () => {
  assert.equal(value(parseSize('512B')), 512);
  assert.equal(value(parseSize('2KB')), 2048);
  assert.equal(value(parseSize('1.5MB')), 1.5 * 1024 * 1024);
  assert.equal(value(parseSize('100')), 100);
  assert.match(String(value(parseSize('-1KB'))), /not a size/);
});

test('rates need /s', () => {
  assert.equal(value(parseRate('16KB/s')), 16 * 1024);
  assert.equal(value(parseRate('0.5MB/s')), 512 * 1024);
  assert.match(String(value(parseRate('16KB'))), /not a rate/);
  assert.match(String(value(parseRate('fast/s'))), /not a rate/);
});

test('shares: percent or a fraction, never above 100%', () => {
  assert.equal(value(parseShare('20%')), 0.2);
  assert.equal(value(parseShare('0.05')), 0.05);
  assert.match(String(value(parseShare('150%'))), /more than 100%/);
  assert.match(String(value(parseShare('many'))), /not a percentage/);
});

test('property: formatBytes output parses back to within rounding', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2 ** 40 }), (bytes) => {
      const text = formatBytes(bytes, 3).replace(' ', '');
      const parsed = parseSize(text);
      return parsed.ok && Math.abs(parsed.value - bytes) <= Math.max(1, bytes * 0.001);
    }),
  );
});

test('property: formatCount writes whole numbers as toLocaleString(en-US) does', () => {
  for (const n of [0, 7, 999, 1000, -1000, 1_302_504, -12_345_678])
    assert.equal(formatCount(n), n.toLocaleString('en-US'));
  fc.assert(
    fc.property(
      fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }),
      (n) => formatCount(n) === n.toLocaleString('en-US'),
    ),
  );
  assert.equal(formatCount(1234.6), '1,235');
});
