/**
 * Thresholds (`--threshold p95<500ms`), pure: parsing with one problem per bad spec, the defaults of each
 * mode, and checking them against the worst step.
 */
import { parseDuration, parseShare, type Parsed } from '../core/units.js';
import { HTTP_THRESHOLDS, WS_THRESHOLDS } from './defaults.js';
import { THRESHOLD_INFO, type ThresholdKind } from '../core/metrics.js';
import type { LoadMode, ThresholdMetric, ThresholdSpec } from './plan-types.js';
import type { LatencySummary, ThresholdResult } from './types.js';

export const THRESHOLD_METRICS = Object.keys(THRESHOLD_INFO) as ThresholdMetric[];

function parseLimit(kind: ThresholdKind, text: string): Parsed<number> {
  switch (kind) {
    case 'ms':
      return parseDuration(text);
    case 'share':
      return parseShare(text);
    case 'rate': {
      const match = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*s(?:ec)?)?\s*$/i.exec(text);
      if (match) return { ok: true, value: Number(match[1]) };
      return { ok: false, problem: `'${text}' is not a rate (use e.g. 1000/s)` };
    }
    case 'users': {
      const value = Number(text);
      if (Number.isInteger(value) && value > 0) return { ok: true, value };
      return { ok: false, problem: `'${text}' is not a number of users` };
    }
  }
}

/** `p95<500ms`, `errors<5%`, `throughput>1000/s`, `knee>20`, `connectAvg<2s`. */
export function parseThreshold(text: string, mode: LoadMode): Parsed<ThresholdSpec> {
  const match = /^\s*([A-Za-z0-9]+)\s*([<>])\s*(.+)$/.exec(text);
  if (!match) {
    return { ok: false, problem: `'${text}' is not a threshold (use e.g. p95<500ms, errors<5%, throughput>100/s)` };
  }
  const metric = match[1] as ThresholdMetric;
  const info = THRESHOLD_INFO[metric];
  if (info === undefined) {
    return { ok: false, problem: `'${match[1]}' is not a metric (use ${THRESHOLD_METRICS.join(', ')})` };
  }
  if (!info.modes.includes(mode)) {
    const runs = mode === 'ws' ? '--ws' : mode === 'open' ? '--rate' : '--users';
    return { ok: false, problem: `'${metric}' does not apply to ${runs} runs` };
  }
  const limit = parseLimit(info.kind, match[3]!);
  if (!limit.ok) return { ok: false, problem: `'${text}': ${limit.problem}` };
  return { ok: true, value: { text: text.replace(/\s+/g, ''), metric, op: match[2] as '<' | '>', limit: limit.value } };
}

/** The mode's defaults, replaced metric by metric by the user's thresholds. */
export function resolveThresholds(
  mode: LoadMode,
  texts: readonly string[],
): { thresholds: ThresholdSpec[]; problems: string[] } {
  const problems: string[] = [];
  const given: ThresholdSpec[] = [];
  for (const text of texts) {
    const parsed = parseThreshold(text, mode);
    if (parsed.ok) given.push(parsed.value);
    else problems.push(`--threshold ${parsed.problem}`);
  }
  const defaults = (mode === 'ws' ? WS_THRESHOLDS : HTTP_THRESHOLDS)
    .map((t) => parseThreshold(t, mode))
    .flatMap((p) => (p.ok ? [p.value] : []));
  const overridden = new Set(given.map((t) => t.metric));
  return { thresholds: [...defaults.filter((t) => !overridden.has(t.metric)), ...given], problems };
}

/** One step's figures (or the whole ws run's): what thresholds are checked against. */
export interface Figures {
  readonly label: string;
  readonly latency: LatencySummary;
  readonly errorShare: number | null;
  readonly throughput: number;
  readonly connectAvg?: number | null;
  readonly connectP99?: number | null;
  readonly connectSuccess?: number | null;
  readonly lastClientP99?: number | null;
  readonly lastClientMax?: number | null;
}

function valueOf(metric: ThresholdMetric, f: Figures): number | null {
  switch (metric) {
    case 'errors':
      return f.errorShare;
    case 'throughput':
      return f.throughput;
    case 'knee':
      return null;
    case 'connectAvg':
    case 'connectP99':
    case 'connectSuccess':
    case 'lastClientP99':
    case 'lastClientMax':
      return f[metric] ?? null;
    default:
      return f.latency.count > 0 ? f.latency[metric] : null;
  }
}

/**
 * Checks each threshold against every step and keeps the worst (`<`: the largest value, `>`: the smallest).
 * `kneeUsers` is the users count of the knee, null when none was found, undefined when there was no ramp.
 */
export function evaluateThresholds(
  specs: readonly ThresholdSpec[],
  steps: readonly Figures[],
  kneeUsers?: number | null,
): ThresholdResult[] {
  return specs.map((spec) => {
    const base = { threshold: spec.text, metric: spec.metric, op: spec.op, limit: spec.limit };
    if (spec.metric === 'knee') {
      if (kneeUsers === undefined) return { ...base, actual: null, where: null, status: 'skipped' };
      // `knee>20`: no knee at all, or one above 20 users.
      const actual = kneeUsers ?? Number.POSITIVE_INFINITY;
      const ok = spec.op === '>' ? actual > spec.limit : actual < spec.limit;
      const where = kneeUsers === null ? 'no knee' : `${kneeUsers} users`;
      return { ...base, actual: kneeUsers, where, status: ok ? 'pass' : 'fail' };
    }
    let worst: { value: number; label: string } | null = null;
    for (const step of steps) {
      const value = valueOf(spec.metric, step);
      if (value === null) continue;
      if (worst === null || (spec.op === '<' ? value > worst.value : value < worst.value)) {
        worst = { value, label: step.label };
      }
    }
    if (worst === null) return { ...base, actual: null, where: null, status: 'skipped' };
    const ok = spec.op === '<' ? worst.value < spec.limit : worst.value > spec.limit;
    return { ...base, actual: worst.value, where: steps.length > 1 ? worst.label : null, status: ok ? 'pass' : 'fail' };
  });
}
