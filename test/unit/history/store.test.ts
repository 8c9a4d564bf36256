import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { historyRunFromReport } from '../../../src/history/record.js';
import { appendHistory, parseHistory, readHistory } from '../../../src/history/store.js';
import { cleanProbe, leakyProbe, soakReport } from '../report/sample-report.js';

test('a run becomes one history line with the figures per probe', () => {
  const report = soakReport([leakyProbe(), cleanProbe()]);
  const run = historyRunFromReport(report, 'abc1234');
  assert.equal(run.schemaVersion, 1);
  assert.equal(run.timestamp, report.startedAt);
  assert.equal(run.commit, 'abc1234');
  assert.equal(run.verdict, 'fail');
  const leaky = run.probes[0]!;
  const source = report.probes[0]!;
  assert.equal(leaky.name, 'leaky');
  assert.equal(leaky.verdict, 'fail');
  assert.equal(leaky.heapGrowth, source.growth!.bytesPerSecond);
  assert.deepEqual(leaky.heapGrowthCi, [source.growth!.ciLow, source.growth!.ciHigh]);
  assert.equal(leaky.perItem, source.perItemBytes);
  assert.equal(leaky.iterationsPerSecond, source.iterationsPerSecond);
  assert.equal(leaky.peakRss, 60 * 1024 * 1024);
  assert.equal(run.probes[1]!.gcRecovery, report.probes[1]!.gcRecovery!.recovered);
});

test('append then read: one JSON line per run, in order; a missing file is an empty history', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'memprobe-history-')), 'deep', 'history.jsonl');
  assert.deepEqual(readHistory(file), { runs: [], skipped: [] });
  const first = historyRunFromReport(soakReport([cleanProbe()]), null);
  const second = historyRunFromReport({ ...soakReport([leakyProbe()]), startedAt: '2026-11-22T12:00:00.000Z' }, 'def');
  appendHistory(file, first);
  appendHistory(file, second);
  const text = readFileSync(file, 'utf8');
  assert.equal(text.split('\n').length, 3); // two lines and the final newline
  const { runs, skipped } = readHistory(file);
  assert.deepEqual(skipped, []);
  assert.deepEqual(runs.map((r) => r.timestamp), [first.timestamp, second.timestamp]);
  assert.deepEqual(runs[1], JSON.parse(JSON.stringify(second)));
});

test('lines that are not runs (a truncated write, a hand edit, another version) are skipped and named', () => {
  const good = JSON.stringify(historyRunFromReport(soakReport([cleanProbe()]), null));
  const text = [good, '{"schemaVersion":1,"timestamp":"2026-11-21', '', 'hello', JSON.stringify({ schemaVersion: 2, timestamp: 'x', probes: [] }), good, ''].join('\n');
  const { runs, skipped } = parseHistory(text);
  assert.equal(runs.length, 2);
  assert.deepEqual(skipped, [2, 4, 5]);
  const dir = mkdtempSync(join(tmpdir(), 'memprobe-history-'));
  writeFileSync(join(dir, 'h.jsonl'), text);
  assert.deepEqual(readHistory(join(dir, 'h.jsonl')).skipped, [2, 4, 5]);
});

test('a run appended after a truncated last line (a killed job) gets a line of its own and is kept', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'memprobe-history-')), 'h.jsonl');
  const first = historyRunFromReport(soakReport([cleanProbe()]), null);
  writeFileSync(file, `${JSON.stringify(first)}\n{"schemaVer`);
  const next = historyRunFromReport({ ...soakReport([leakyProbe()]), startedAt: '2026-11-23T12:00:00.000Z' }, null);
  appendHistory(file, next);
  const { runs, skipped } = readHistory(file);
  assert.deepEqual(skipped, [2]);
  assert.deepEqual(runs.map((r) => r.timestamp), [first.timestamp, next.timestamp]);
});

test('a line with wrong-typed figures is skipped, not taken as a run (it would read as a regression)', () => {
  const run = historyRunFromReport(soakReport([cleanProbe()]), null);
  const withProbe = (patch: Record<string, unknown>): string => JSON.stringify({ ...run, probes: [{ ...run.probes[0], ...patch }] });
  const lines = [
    JSON.stringify(run),
    withProbe({ peakRss: -1 }),
    withProbe({ heapGrowth: 'fast' }),
    withProbe({ heapGrowthCi: [1] }),
    withProbe({ verdict: 'maybe' }),
    JSON.stringify({ ...run, durationMs: '30s' }),
    withProbe({ perItem: null }),
  ];
  const { runs, skipped } = parseHistory(lines.join('\n'));
  assert.deepEqual(skipped, [2, 3, 4, 5, 6]);
  assert.equal(runs.length, 2, 'a null figure is no figure, and fine');
});
