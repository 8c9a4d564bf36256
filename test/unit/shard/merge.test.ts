import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LatencyHistogram } from '../../../src/load/histogram.js';
import type { LoadReport } from '../../../src/load/types.js';
import type { CheckReport, CheckShard } from '../../../src/engine/check-report.js';
import { mergeCheckReports } from '../../../src/shard/merge-check.js';
import { mergeLoadReports } from '../../../src/shard/merge-load.js';
import { validateMerge, type MergeInput } from '../../../src/shard/validate.js';
import type { ProbeReport } from '../../../src/types.js';
import { sampleLoadReport } from '../../support/load-report.js';
import { checkReport, cleanProbe, leakyProbe } from '../report/sample-report.js';

const HASH = 'sha256:0011223344556677';
const named = (probe: ProbeReport, name: string): ProbeReport => ({ ...probe, name, file: `/repo/probes/${name}.mjs` });

/** Shard `index` of 3 over probes a..f dealt round-robin: shard 1 ran a and d, shard 2 b and e, shard 3 c and f. */
function shard(index: number, extra: Partial<CheckShard> = {}, commit?: string): CheckReport {
  const names = ['a', 'b', 'c', 'd', 'e', 'f'].filter((_, i) => i % 3 === index - 1);
  const probes = names.map((name) => named(name === 'e' ? leakyProbe() : cleanProbe(), name));
  const runs = names.map((name) => ({ kind: 'probe' as const, index: 'abcdef'.indexOf(name), key: `probes/${name}.mjs` }));
  const report = checkReport(probes, { extra: { shard: { index, count: 3, configHash: HASH, runs, historyWindow: 10, failOnRegression: false, ...extra } } });
  return commit === undefined ? report : { ...report, commit };
}

const input = (source: string, report: unknown): MergeInput => ({ source, text: JSON.stringify(report, null, 2) });
const reason = (inputs: MergeInput[]): string => {
  const set = validateMerge(inputs);
  assert.equal(set.status, 'refused');
  return set.status === 'refused' ? set.reason : '';
};

test('validateMerge: a complete set of shards is accepted and sorted by index', () => {
  const set = validateMerge([input('s3', shard(3)), input('s1', shard(1)), input('s2', shard(2))]);
  assert.equal(set.status, 'check');
  if (set.status === 'check') assert.deepEqual(set.reports.map((r) => r.source), ['s1', 's2', 's3']);
});

test('validateMerge: missing and duplicate shards, different configs, commits and counts are refused, naming the files', () => {
  assert.equal(reason([input('s1', shard(1)), input('s3', shard(3))]), 'missing shard 2/3');
  assert.equal(reason([input('s1', shard(1))]), 'missing shards 2/3, 3/3');
  assert.equal(reason([input('s1', shard(1)), input('s2', shard(2)), input('again', shard(2)), input('s3', shard(3))]), 'duplicate shard 2/3: s2 and again');
  assert.match(reason([input('s1', shard(1)), input('s2', shard(2, { configHash: 'sha256:ffffffffffffffff' })), input('s3', shard(3))]), /^shards of different configs: s1 \(sha256:0011223344556677\) and s2 \(sha256:ffffffffffffffff\)$/);
  assert.match(reason([input('s1', shard(1)), input('s2', shard(2, {}, 'feedface')), input('s3', shard(3))]), /^shards of different commits: s1 \(0123456789abcdef/);
  assert.match(reason([input('s1', shard(1)), input('s2', shard(2, { count: 4 })), input('s3', shard(3))]), /s2 is shard 2\/4/);
});

test('validateMerge: truncated, empty, unreadable, foreign and mixed inputs are refused', () => {
  const text = JSON.stringify(shard(1), null, 2);
  assert.equal(reason([{ source: 'cut.json', text: text.slice(0, text.length / 2) }]), 'cut.json: not complete JSON (truncated?)');
  assert.equal(reason([{ source: 'empty.json', text: '' }]), 'empty.json: empty file');
  assert.equal(reason([{ source: 'gone', error: 'no such file' }]), 'gone: no such file');
  assert.equal(reason([input('pkg.json', { name: 'x', version: '1.0.0' })]), 'pkg.json: not a memprobe report');
  assert.equal(reason([input('v2.json', { ...shard(1), schemaVersion: 2 })]), 'v2.json: schemaVersion 2 is not 1');
  assert.match(reason([input('s1', shard(1)), input('load.json', sampleLoadReport())]), /merge one kind at a time/);
  assert.equal(reason([]), 'nothing to merge: give report.json files or folders holding one');
  assert.match(reason([input('odd.json', { ...shard(1), shard: { index: 0, count: 3, configHash: HASH, runs: [] } })]), /^odd\.json: its shard field/);
});

test('validateMerge: one unsharded check merges alone, never with others', () => {
  const whole = checkReport([cleanProbe()]);
  assert.equal(validateMerge([input('whole', whole)]).status, 'check');
  assert.match(reason([input('whole', whole), input('s1', shard(1))]), /^whole is not a shard/);
});

test('mergeCheckReports: every probe of every shard, in check order, with its verdict and budget results', () => {
  const shards = [shard(1), shard(2), shard(3)];
  const merged = mergeCheckReports(shards.map((report, i) => ({ source: `s${i + 1}`, report })));
  assert.deepEqual(merged.soak.probes.map((p) => p.name), ['a', 'b', 'c', 'd', 'e', 'f']);
  const byName = new Map(shards.flatMap((s) => s.probes.map((p) => [p.name, p] as const)));
  for (const probe of merged.soak.probes) {
    assert.equal(probe.verdict, byName.get(probe.name)!.verdict);
    assert.deepEqual(probe.budgets, byName.get(probe.name)!.budgets);
  }
  assert.equal(merged.soak.verdict, 'fail'); // e leaks
  assert.deepEqual(merged.merged, { shards: 3, configHash: HASH });
  assert.equal(merged.history, undefined);
});

test('mergeCheckReports: a lone unsharded report gives back its own soak report', () => {
  const whole = checkReport([leakyProbe(), cleanProbe()]);
  const merged = mergeCheckReports([{ source: 'whole', report: whole }]);
  const { kind: _k, system: _s, commit: _c, config: _f, schemaVersion: _v, verdict: _vd, ...rest } = whole;
  const { schemaVersion: _sv, verdict: soakVerdict, ...soak } = merged.soak;
  assert.deepEqual(soak, rest);
  assert.equal(soakVerdict, whole.verdict);
  assert.equal(merged.merged, null);
});

/** A one-step open-model report of one generator whose latencies are `values` (ms). */
function generatorReport(values: readonly number[], throughput: number, index: number): LoadReport {
  const h = new LatencyHistogram();
  for (const v of values) h.recordMs(v);
  const base = sampleLoadReport();
  const step = { ...base.steps[0]!, users: null, rate: 100, sent: values.length, completed: values.length, throughput, latency: h.summary(), errors: { total: 1, byType: { timeout: 1 } }, memory: null };
  return {
    ...base,
    mode: 'open',
    target: { url: 'http://127.0.0.1:4100/', wsUrl: null, embedded: false },
    settings: { ...base.settings, rate: 100, users: null },
    latency: h.summary(),
    throughput,
    steps: [step],
    knee: null,
    server: null,
    errors: { total: 1, byType: { timeout: 1 } },
    generator: { ...base.generator!, saturated: false, reasons: [], cpuPercent: 20 },
    hdr: { latency: h.encode(), responseTime: h.encode(), operations: [], steps: [{ latency: h.encode(), operations: [] }] },
    shard: { index, count: 2 },
  };
}

test('mergeLoadReports: percentiles of the added histograms (not averaged), counts and throughput summed, thresholds judged again', () => {
  // One fast generator and one that saw the slow tail: averaging their p99s would say ~250 ms.
  const fast = generatorReport(Array.from({ length: 990 }, (_, i) => 1 + (i % 10)), 99.5, 1);
  const slow = generatorReport([...Array.from({ length: 980 }, () => 2), ...Array.from({ length: 20 }, (_, i) => 400 + i)], 100.5, 2);
  const set = validateMerge([input('b.json', slow), input('a.json', fast)]);
  assert.equal(set.status, 'load');
  const merged = mergeLoadReports(set.status === 'load' ? set.reports.map((r) => r.report) : []);
  const whole = LatencyHistogram.sum([LatencyHistogram.decode(fast.hdr!.latency), LatencyHistogram.decode(slow.hdr!.latency)]);
  assert.deepEqual(merged.latency, whole.summary());
  assert.equal(merged.latency.count, 1990);
  assert.equal(merged.latency.p99, whole.percentileMs(99));
  assert.equal(merged.throughput, 200);
  assert.equal(merged.settings.rate, 200);
  assert.equal(merged.steps[0]!.completed, 1990);
  assert.deepEqual(merged.errors, { total: 2, byType: { timeout: 2 } });
  assert.equal(merged.generators, 2);
  assert.equal(merged.shard, undefined);
  assert.equal(merged.thresholds[0]!.actual, whole.percentileMs(95));
  assert.equal(merged.status, 'pass');
});

test('validateMerge: load reports of another scenario, without histograms, or an incomplete shard set are refused', () => {
  const a = generatorReport([1, 2, 3], 3, 1);
  const b = generatorReport([1, 2, 3], 3, 2);
  assert.match(reason([input('a', a), input('b', { ...b, settings: { ...b.settings, durationMs: 1 } })]), /are not the same load/);
  assert.match(reason([input('a', a), input('b', { ...b, hdr: undefined })]), /^b carries no HDR histograms/);
  assert.equal(reason([input('a', a)]), 'missing shard 2/2');
  const { shard: _s, ...unsharded } = b;
  assert.equal(validateMerge([input('x', { ...a, shard: undefined }), input('y', unsharded)]).status, 'load');
});

/** A closed-model ramp of one generator: per step, `users` and latencies (ms). */
function rampReport(steps: readonly { users: number; values: number[]; throughput: number }[], index: number): LoadReport {
  const base = sampleLoadReport();
  const hs = steps.map((s) => {
    const h = new LatencyHistogram();
    for (const v of s.values) h.recordMs(v);
    return h;
  });
  const all = LatencyHistogram.sum(hs);
  return {
    ...base,
    target: { url: 'http://127.0.0.1:4100/', wsUrl: null, embedded: false },
    settings: { ...base.settings, users: steps.map((s) => s.users) },
    steps: steps.map((s, i) => ({ ...base.steps[0]!, index: i, users: s.users, completed: s.values.length, sent: s.values.length, throughput: s.throughput, latency: hs[i]!.summary(), errors: { total: 0, byType: {} }, memory: null })),
    latency: all.summary(),
    errors: { total: 0, byType: {} },
    server: null,
    generator: { ...base.generator!, saturated: false, reasons: [] },
    hdr: { latency: all.encode(), responseTime: all.encode(), operations: [], steps: hs.map((h) => ({ latency: h.encode(), operations: [] })) },
    shard: { index, count: 2 },
  };
}

test('mergeLoadReports: a closed ramp adds users and throughput per step and finds the knee of the whole', () => {
  const fast = Array.from({ length: 100 }, () => 2);
  const slow = Array.from({ length: 100 }, () => 40);
  const a = rampReport([{ users: 1, values: fast, throughput: 500 }, { users: 5, values: slow, throughput: 520 }], 1);
  const b = rampReport([{ users: 1, values: fast, throughput: 500 }, { users: 5, values: slow, throughput: 530 }], 2);
  const merged = mergeLoadReports([a, b]);
  assert.deepEqual(merged.settings.users, [2, 10]);
  assert.deepEqual(merged.steps.map((s) => [s.users, s.throughput, s.completed]), [[2, 1000, 200], [10, 1050, 200]]);
  assert.equal(merged.steps[1]!.latency.p95, LatencyHistogram.decode(a.hdr!.steps[1]!.latency).percentileMs(95));
  assert.equal(merged.knee?.status, 'knee');
  if (merged.knee?.status === 'knee') assert.deepEqual([merged.knee.previousUsers, merged.knee.users], [2, 10]);
});
