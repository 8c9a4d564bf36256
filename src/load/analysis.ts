/**
 * What a load run means, as pure functions of its figures: where a ramp degrades (the knee), whether an
 * operation of a mix was starved, whether the generator itself fell behind, and the run's status.
 */
import {
  KNEE_EFFICIENCY,
  KNEE_LATENCY_RISE,
  QUEUE_FULL_ERROR,
  SATURATION_CPU_PERCENT,
  SATURATION_LAG_P99_MS,
  SATURATION_LATENCY_SHARE,
  SATURATION_LOOP_P99_MS,
  STARVATION_MIN_EXPECTED,
  STARVATION_RATIO,
} from './defaults.js';
import type { KneeResult, LoadStatus, StarvationEntry, StarvationResult, ThresholdResult } from './types.js';

export interface RampPoint {
  readonly users: number;
  /** Successful requests per second. */
  readonly throughput: number;
  readonly p95: number;
}

const round = (x: number, digits = 2): number => Number(x.toFixed(digits));

/** Compares step `cur` with an earlier step `base`: did the extra users bring throughput, or only latency? */
function degradation(base: RampPoint, cur: RampPoint): { efficiency: number; latencyRise: number } | null {
  if (cur.users <= base.users || base.throughput <= 0) return null;
  const expectedGain = cur.users / base.users - 1;
  const efficiency = (cur.throughput / base.throughput - 1) / expectedGain;
  const latencyRise = base.p95 > 0 ? cur.p95 / base.p95 : cur.p95 > 0 ? Number.POSITIVE_INFINITY : 1;
  return { efficiency, latencyRise };
}

/**
 * The knee of a closed-model ramp: the first step where the added users brought less than
 * KNEE_EFFICIENCY of the throughput growth they should have (1 = linear) while p95 rose by more than
 * KNEE_LATENCY_RISE, compared with the previous step or with the first one (slow, gradual degradation).
 * A step whose throughput fell to zero is a knee too.
 */
export function detectKnee(steps: readonly RampPoint[]): KneeResult {
  if (steps.length < 2) {
    return { status: 'inconclusive', reason: 'a ramp needs at least two steps (e.g. --users 1,5,10,20)' };
  }
  const first = steps[0]!;
  if (first.throughput <= 0) {
    const reason = `no successful request with ${first.users} user(s): nothing to compare with`;
    return { status: 'inconclusive', reason };
  }
  for (let i = 1; i < steps.length; i++) {
    const prev = steps[i - 1]!;
    const cur = steps[i]!;
    if (cur.throughput <= 0) {
      return {
        status: 'knee',
        users: cur.users,
        previousUsers: prev.users,
        efficiency: -1,
        latencyRise: Number.POSITIVE_INFINITY,
        reason: `no successful request with ${cur.users} users`,
      };
    }
    for (const base of i > 1 ? [prev, first] : [prev]) {
      const d = degradation(base, cur);
      if (d === null || d.efficiency >= KNEE_EFFICIENCY || d.latencyRise <= KNEE_LATENCY_RISE) continue;
      const gain = `${Math.round((cur.throughput / base.throughput - 1) * 100)}%`;
      const linear = `+${Math.round((cur.users / base.users - 1) * 100)}%`;
      return {
        status: 'knee',
        users: cur.users,
        previousUsers: base.users,
        efficiency: round(d.efficiency),
        latencyRise: round(d.latencyRise),
        reason:
          `from ${base.users} to ${cur.users} users throughput changed ${gain.startsWith('-') ? '' : '+'}${gain} ` +
          `(linear would be ${linear}) while p95 rose ${round(d.latencyRise, 1)}x`,
      };
    }
  }
  const last = steps[steps.length - 1]!;
  const reason = `no degradation from ${first.users} to ${last.users} users`;
  return { status: 'none', fromUsers: first.users, toUsers: last.users, reason };
}

export interface MixEntry {
  readonly name: string;
  readonly weight: number;
  /** Successful completions. */
  readonly completed: number;
}

/**
 * Starvation of a weighted mix: an operation is starved when its share of the successful completions is
 * below STARVATION_RATIO of its share of the weights, judged only when it was expected to complete at
 * least STARVATION_MIN_EXPECTED times (fewer cannot tell bad luck from starvation: inconclusive).
 */
export function checkStarvation(mix: readonly MixEntry[]): StarvationResult {
  if (mix.length < 2) {
    return { status: 'skipped', operations: [], reason: 'a single operation cannot be starved by others' };
  }
  const totalWeight = mix.reduce((sum, op) => sum + op.weight, 0);
  const total = mix.reduce((sum, op) => sum + op.completed, 0);
  const operations: StarvationEntry[] = mix.map((op) => {
    const weightShare = op.weight / totalWeight;
    const completedShare = total > 0 ? op.completed / total : 0;
    const ratio = completedShare / weightShare;
    return {
      name: op.name,
      weightShare: round(weightShare, 4),
      completedShare: round(completedShare, 4),
      ratio: round(ratio, 3),
      starved: total * weightShare >= STARVATION_MIN_EXPECTED && ratio < STARVATION_RATIO,
    };
  });
  if (total === 0) return { status: 'inconclusive', operations, reason: 'no operation completed' };
  const starved = operations.filter((op) => op.starved);
  if (starved.length > 0) {
    const one = (op: StarvationEntry): string =>
      `${op.name} ${pct(op.completedShare)} of completions for ${pct(op.weightShare)} of the weight`;
    const list = starved.map(one).join('; ');
    return { status: 'fail', operations, reason: `starved: ${list}` };
  }
  const unsure = operations.filter(
    (op) => total * op.weightShare < STARVATION_MIN_EXPECTED && op.ratio < STARVATION_RATIO,
  );
  if (unsure.length > 0) {
    const reason = `too few requests to judge ${unsure.map((op) => op.name).join(', ')}`;
    return { status: 'inconclusive', operations, reason };
  }
  const reason = `every operation completed at least ${Math.round(STARVATION_RATIO * 100)}% of its weight share`;
  return { status: 'pass', operations, reason };
}

const pct = (share: number): string => `${(share * 100).toFixed(share < 0.1 ? 1 : 0)}%`;

export interface GeneratorHealth {
  readonly cpuPercent: number;
  readonly eventLoopP99Ms: number;
  /** p99 of how late sends started after their intended time; null when nothing was scheduled. */
  readonly sendLagP99Ms: number | null;
  /** Intended sends dropped unsent because the generator's wait line was full. */
  readonly unsent: number;
}

/**
 * The saturation rule. The generator fell behind schedule (send lag p99 above the lag limit), was CPU-bound
 * (above SATURATION_CPU_PERCENT of a core), or read responses late (event-loop delay p99 above the loop
 * limit). Lateness inflates the reported latency by at most itself, so the limits grow with what is being
 * measured: lag limit = max(maxLagMs, 10% of the measured p99); loop limit = max(SATURATION_LOOP_P99_MS,
 * 3 x maxLagMs, 10% of the measured p99). 20 ms late on 5 s latencies still describes the server.
 * A send dropped unsent (the wait line full) means the schedule was not run at all: the errors it adds are
 * the generator's, not the server's.
 */
export function judgeGenerator(
  health: GeneratorHealth,
  maxLagMs = SATURATION_LAG_P99_MS,
  latencyP99Ms: number | null = null,
): { saturated: boolean; reasons: string[] } {
  const reasons: string[] = [];
  const relative = latencyP99Ms === null ? 0 : latencyP99Ms * SATURATION_LATENCY_SHARE;
  const lagLimit = round(Math.max(maxLagMs, relative), 1);
  const loopLimit = round(Math.max(SATURATION_LOOP_P99_MS, 3 * maxLagMs, relative), 1);
  if (health.sendLagP99Ms !== null && health.sendLagP99Ms > lagLimit) {
    const lag = round(health.sendLagP99Ms, 1);
    reasons.push(`sends started late: p99 ${lag} ms after their intended time (limit ${lagLimit} ms)`);
  }
  if (health.unsent > 0) {
    const what = `${health.unsent} intended sends were dropped unsent (${QUEUE_FULL_ERROR})`;
    reasons.push(`${what}: lower --rate or raise --connections`);
  }
  if (health.cpuPercent > SATURATION_CPU_PERCENT) {
    reasons.push(`generator CPU at ${Math.round(health.cpuPercent)}% of a core (limit ${SATURATION_CPU_PERCENT}%)`);
  }
  if (health.eventLoopP99Ms > loopLimit) {
    const delay = round(health.eventLoopP99Ms, 1);
    reasons.push(`generator event loop delayed p99 ${delay} ms (limit ${loopLimit} ms): responses were read late`);
  }
  return { saturated: reasons.length > 0, reasons };
}

/**
 * The run's status, most serious first: a tool fault, Ctrl-C, an untrustworthy generator, a broken check.
 * A run that measured nothing (no request answered or failed in the window) fails: its thresholds could
 * only be skipped, and a server that never answers must not pass.
 */
export function decideStatus(run: {
  readonly fault: string | null;
  readonly interrupted: boolean;
  readonly saturated: boolean;
  readonly nothingMeasured: boolean;
  readonly thresholds: readonly ThresholdResult[];
  readonly starvation: StarvationResult | null;
}): LoadStatus {
  if (run.fault !== null) return 'error';
  if (run.interrupted) return 'interrupted';
  if (run.saturated) return 'generator-saturated';
  if (run.nothingMeasured) return 'fail';
  if (run.thresholds.some((t) => t.status === 'fail') || run.starvation?.status === 'fail') return 'fail';
  return 'pass';
}
