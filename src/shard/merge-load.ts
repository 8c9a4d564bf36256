/**
 * Adds up the load reports of several generators that ran one load at the same time (one per machine, or
 * `memprobe load --shard i/n` from a CI matrix): their HDR histograms are added, so p50/p95/p99/max are those
 * of every request of every generator, exactly; counts, errors and throughput are summed (the generators
 * ran side by side, so their rates add). Then thresholds, knee, starvation and status are judged again on
 * the whole, as a single generator's run would have been.
 */
import { errorShare, mergeErrors } from '../load/aggregate.js';
import { checkStarvation, decideStatus, detectKnee } from '../load/analysis.js';
import { LatencyHistogram } from '../load/histogram.js';
import { evaluateThresholds, type Figures } from '../load/thresholds.js';
import type {
  GeneratorStats,
  LoadHistograms,
  LoadReport,
  OperationResult,
  StepResult,
  ThresholdSpec,
} from '../load/types.js';

const sumOf = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);
const round1 = (x: number): number => Math.round(x * 10) / 10;
const share = (part: number, whole: number): number => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : 0);
const added = (encoded: readonly string[]): LatencyHistogram =>
  LatencyHistogram.sum(encoded.map((e) => LatencyHistogram.decode(e)));

/** One operation over every generator: its counts summed, its latency from the added histograms. */
function mergeOperations(
  parts: readonly (readonly OperationResult[])[],
  histograms: readonly (readonly string[])[],
): OperationResult[] {
  const first = parts[0] ?? [];
  const merged = first.map((op, i) => ({
    ...op,
    completed: sumOf(parts.map((p) => p[i]?.completed ?? 0)),
    errors: mergeErrors(parts.map((p) => p[i]?.errors.byType ?? {})),
    latency: added(histograms.flatMap((h) => (h[i] !== undefined ? [h[i]] : []))).summary(),
  }));
  const completed = sumOf(merged.map((op) => op.completed));
  return merged.map((op) => ({ ...op, completedShare: share(op.completed, completed) }));
}

function mergeStep(steps: readonly StepResult[], hdr: readonly LoadHistograms['steps'][number][]): StepResult {
  const first = steps[0]!;
  return {
    index: first.index,
    users: first.users === null ? null : sumOf(steps.map((s) => s.users ?? 0)),
    rate: first.rate === null ? null : round1(sumOf(steps.map((s) => s.rate ?? 0))),
    startedAt: Math.min(...steps.map((s) => s.startedAt)),
    durationMs: Math.max(...steps.map((s) => s.durationMs)),
    sent: sumOf(steps.map((s) => s.sent)),
    completed: sumOf(steps.map((s) => s.completed)),
    throughput: round1(sumOf(steps.map((s) => s.throughput))),
    latency: added(hdr.map((h) => h.latency)).summary(),
    errors: mergeErrors(steps.map((s) => s.errors.byType)),
    operations: mergeOperations(
      steps.map((s) => s.operations),
      hdr.map((h) => h.operations),
    ),
    connections: sumOf(steps.map((s) => s.connections)),
    waited: sumOf(steps.map((s) => s.waited)),
    // The generators' longest lines need not have been at the same moment: their sum is an upper bound.
    maxWaiting: sumOf(steps.map((s) => s.maxWaiting)),
    memory: null,
  };
}

/** The worst generator's health; saturated when any was, each reason naming its generator. */
function mergeGenerators(reports: readonly LoadReport[]): GeneratorStats | null {
  const stats = reports.map((r) => r.generator).filter((g): g is GeneratorStats => g !== null);
  if (stats.length === 0) return null;
  const worstLag = stats.reduce((a, b) => (b.sendLag.p99 > a.sendLag.p99 ? b : a));
  return {
    pid: stats[0]!.pid,
    cpuPercent: Math.max(...stats.map((g) => g.cpuPercent)),
    eventLoopP99Ms: Math.max(...stats.map((g) => g.eventLoopP99Ms)),
    eventLoopMaxMs: Math.max(...stats.map((g) => g.eventLoopMaxMs)),
    sendLag: worstLag.sendLag,
    saturated: stats.some((g) => g.saturated),
    reasons: reports.flatMap((r, i) => (r.generator?.reasons ?? []).map((reason) => `generator ${i + 1}: ${reason}`)),
  };
}

const label = (s: StepResult): string =>
  s.users !== null ? `step ${s.index + 1} (${s.users} user${s.users === 1 ? '' : 's'})` : `${s.rate}/s`;

/** The thresholds as the generators were given them (every generator had the same, validate.ts checks). */
const specsOf = (report: LoadReport): ThresholdSpec[] =>
  report.thresholds.map((t) => ({ text: t.threshold, metric: t.metric, op: t.op, limit: t.limit }));

/** The knee, the thresholds and the starvation check, judged again on the merged figures. */
function judge(first: LoadReport, steps: readonly StepResult[], operations: readonly OperationResult[]) {
  const figures: Figures[] = steps.map((s) => ({
    label: label(s),
    latency: s.latency,
    errorShare: errorShare(s.completed, s.errors.total),
    throughput: s.throughput,
  }));
  const knee =
    first.mode === 'closed' && steps.length > 0
      ? detectKnee(steps.map((s) => ({ users: s.users ?? 0, throughput: s.throughput, p95: s.latency.p95 })))
      : null;
  const kneeUsers =
    knee === null ? undefined : knee.status === 'knee' ? knee.users : knee.status === 'none' ? null : undefined;
  const thresholds = evaluateThresholds(specsOf(first), figures, kneeUsers);
  const mix = operations.map((op) => ({ name: op.name, weight: op.weight, completed: op.completed }));
  const starvation = operations.length > 1 ? checkStarvation(mix) : null;
  return { knee, thresholds, starvation };
}

/** What the generators were asked to run, added up: their rates, users per step and connections. */
function mergedSettings(reports: readonly LoadReport[]): LoadReport['settings'] {
  const first = reports[0]!;
  const users = first.settings.users;
  return {
    ...first.settings,
    rate: first.settings.rate === null ? null : round1(sumOf(reports.map((r) => r.settings.rate ?? 0))),
    users: users === null ? null : users.map((_, i) => sumOf(reports.map((r) => r.settings.users?.[i] ?? 0))),
    connections: sumOf(reports.map((r) => r.settings.connections)),
  };
}

/** Every histogram of the generators added up, encoded again, so a merged report can be merged further. */
function mergedHistograms(hdrs: readonly LoadHistograms[], steps: readonly StepResult[], operationCount: number) {
  const present = <T>(values: ReadonlyArray<T | undefined>): T[] => values.filter((v): v is T => v !== undefined);
  return {
    latency: added(hdrs.map((h) => h.latency)).encode(),
    responseTime: added(hdrs.map((h) => h.responseTime)).encode(),
    operations: Array.from({ length: operationCount }, (_, i) =>
      added(present(hdrs.map((h) => h.operations[i]))).encode(),
    ),
    steps: steps.map((_, i) => ({
      latency: added(hdrs.map((h) => h.steps[i]!.latency)).encode(),
      operations: (hdrs[0]!.steps[i]?.operations ?? []).map((_, k) =>
        added(present(hdrs.map((h) => h.steps[i]?.operations[k]))).encode(),
      ),
    })),
  };
}

/** `reports` come validated: one HTTP load, every one with its histograms. */
export function mergeLoadReports(reports: readonly LoadReport[]): LoadReport {
  const first = reports[0]!;
  const hdrs = reports.map((r) => r.hdr!);
  const latency = added(hdrs.map((h) => h.latency));
  const responseTime = added(hdrs.map((h) => h.responseTime));
  const steps = first.steps.map((_, i) =>
    mergeStep(
      reports.map((r) => r.steps[i]!),
      hdrs.map((h) => h.steps[i]!),
    ),
  );
  const operations = mergeOperations(
    reports.map((r) => r.operations),
    hdrs.map((h) => h.operations),
  );
  const { knee, thresholds, starvation } = judge(first, steps, operations);
  const generator = mergeGenerators(reports);
  const interrupted = reports.some((r) => r.interrupted);
  const fault = reports.find((r) => r.fault !== null)?.fault ?? null;
  const measured = sumOf(steps.map((s) => s.completed + s.errors.total));
  const notes = reports.flatMap((r, i) => r.notes.map((n) => `generator ${i + 1}: ${n}`));
  if (reports.some((r) => r.server !== null)) notes.push('server memory is per generator and is not merged');
  const saturated = generator?.saturated ?? false;
  const nothingMeasured = fault === null && !interrupted && measured === 0;
  const status = decideStatus({ fault, interrupted, saturated, nothingMeasured, thresholds, starvation });
  const { shard: _shard, ...base } = first;
  return {
    ...base,
    startedAt: reports.map((r) => r.startedAt).reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a)),
    settings: mergedSettings(reports),
    status,
    interrupted,
    latency: latency.summary(),
    responseTime: responseTime.summary(),
    histogram: latency.buckets(),
    throughput: round1(sumOf(reports.map((r) => r.throughput))),
    errors: mergeErrors(reports.map((r) => r.errors.byType)),
    steps,
    knee,
    operations,
    starvation,
    ws: null,
    server: null,
    thresholds,
    generator,
    notes,
    fault,
    hdr: mergedHistograms(hdrs, steps, operations.length),
    generators: sumOf(reports.map((r) => r.generators ?? 1)),
  };
}
