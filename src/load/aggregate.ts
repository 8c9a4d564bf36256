/**
 * From the generator's wire format (HDR histograms as base64, counters) to report figures: per step,
 * per operation, whole run, WebSocket fan-out. Histograms are merged, never their percentiles averaged.
 */
import type { WireOperation, WireStep, WireWs } from './generator-protocol.js';
import { LatencyHistogram } from './histogram.js';
import type {
  ErrorCounts,
  LatencyBucket,
  LatencySummary,
  LoadHistograms,
  OperationResult,
  StepResult,
  WsResult,
} from './types.js';

export function mergeErrors(parts: Iterable<Readonly<Record<string, number>>>): ErrorCounts {
  const byType: Record<string, number> = {};
  let total = 0;
  for (const part of parts) {
    for (const [type, count] of Object.entries(part)) {
      byType[type] = (byType[type] ?? 0) + count;
      total += count;
    }
  }
  return { total, byType };
}

const share = (part: number, whole: number): number => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : 0);
const perSecond = (count: number, ms: number): number => (ms > 0 ? Math.round((count * 1000 * 10) / ms) / 10 : 0);

/** Operations of one step (or merged over steps), with their share of completions and of the weights. */
function operations(groups: ReadonlyArray<readonly WireOperation[]>): OperationResult[] {
  const first = groups[0] ?? [];
  const totalWeight = first.reduce((sum, op) => sum + op.weight, 0);
  const merged = first.map((op, i) => {
    const parts = groups.map((g) => g[i]!).filter((p) => p !== undefined);
    return {
      name: op.name,
      weight: op.weight,
      completed: parts.reduce((sum, p) => sum + p.completed, 0),
      errors: mergeErrors(parts.map((p) => p.errors)),
      latency: LatencyHistogram.sum(parts.map((p) => LatencyHistogram.decode(p.histogram))).summary(),
    };
  });
  const completed = merged.reduce((sum, op) => sum + op.completed, 0);
  return merged.map((op) => ({
    ...op,
    weightShare: share(op.weight, totalWeight),
    completedShare: share(op.completed, completed),
  }));
}

/**
 * The time a step's completions took. Open model: its window, or longer when responses kept coming in the
 * drain (a server slower than the offered rate); over the window alone it would report the offered rate.
 * Closed model: the window (its users only send within it, so the tail of one step is not the server's pace).
 */
function servedMs(step: WireStep): number {
  if (step.rate === null) return step.durationMs;
  return Math.max(step.durationMs, step.lastCompletedAt > 0 ? step.lastCompletedAt - step.startedAt : 0);
}

function stepResult(step: WireStep): StepResult {
  const histogram = LatencyHistogram.sum(step.operations.map((op) => LatencyHistogram.decode(op.histogram)));
  const completed = step.operations.reduce((sum, op) => sum + op.completed, 0);
  return {
    index: step.index,
    users: step.users,
    rate: step.rate,
    startedAt: Math.round(step.startedAt),
    durationMs: Math.round(step.durationMs),
    sent: step.sent,
    completed,
    throughput: perSecond(completed, servedMs(step)),
    latency: histogram.summary(),
    errors: mergeErrors(step.operations.map((op) => op.errors)),
    operations: operations([step.operations]),
    connections: step.connections,
    waited: step.waited,
    maxWaiting: step.maxWaiting,
    memory: null,
  };
}

export interface HttpFigures {
  readonly steps: StepResult[];
  readonly operations: OperationResult[];
  readonly latency: LatencySummary;
  readonly histogram: LatencyBucket[];
  readonly responseTime: LatencySummary;
  readonly throughput: number;
  readonly errors: ErrorCounts;
  readonly hdr: LoadHistograms;
}

/** The run's histograms, encoded for the report so that other generators' runs can be added to them. */
function encodeHistograms(
  wire: readonly WireStep[],
  all: LatencyHistogram,
  responseTime: LatencyHistogram,
): LoadHistograms {
  const opCount = wire[0]?.operations.length ?? 0;
  return {
    latency: all.encode(),
    responseTime: responseTime.encode(),
    operations: Array.from({ length: opCount }, (_, i) =>
      LatencyHistogram.sum(
        wire.flatMap((s) => (s.operations[i] ? [LatencyHistogram.decode(s.operations[i].histogram)] : [])),
      ).encode(),
    ),
    steps: wire.map((s) => ({
      latency: LatencyHistogram.sum(s.operations.map((op) => LatencyHistogram.decode(op.histogram))).encode(),
      operations: s.operations.map((op) => op.histogram),
    })),
  };
}

export function summarizeHttp(wire: readonly WireStep[]): HttpFigures {
  const steps = wire.map(stepResult);
  const decoded = (pick: (op: WireStep['operations'][number]) => string): LatencyHistogram[] =>
    wire.flatMap((s) => s.operations.map((op) => LatencyHistogram.decode(pick(op))));
  const all = LatencyHistogram.sum(decoded((op) => op.histogram));
  const completed = steps.reduce((sum, s) => sum + s.completed, 0);
  const durationMs = wire.reduce((sum, s) => sum + servedMs(s), 0);
  const responseTime = LatencyHistogram.sum(decoded((op) => op.responseHistogram));
  return {
    steps,
    operations: operations(wire.map((s) => s.operations)),
    latency: all.summary(),
    histogram: all.buckets(),
    responseTime: responseTime.summary(),
    throughput: perSecond(completed, durationMs),
    errors: mergeErrors(steps.map((s) => s.errors.byType)),
    hdr: encodeHistograms(wire, all, responseTime),
  };
}

/** Share of attempts that failed; null when nothing was attempted. */
export function errorShare(completed: number, errors: number): number | null {
  return completed + errors > 0 ? share(errors, completed + errors) : null;
}

export function summarizeWs(wire: WireWs): WsResult {
  const connectErrors = mergeErrors([wire.connectErrors]);
  return {
    connections: {
      attempted: wire.attempted,
      ok: wire.ok,
      failed: wire.attempted - wire.ok,
      successRate: share(wire.ok, wire.attempted),
      connectMs: LatencyHistogram.decode(wire.connectHistogram).summary(),
      wallMs: Math.round(wire.connectWallMs),
      errors: connectErrors,
    },
    messages: {
      received: wire.received,
      perSecond: perSecond(wire.received, wire.measuredMs),
      latency: LatencyHistogram.decode(wire.messageHistogram).summary(),
      lastClient: LatencyHistogram.decode(wire.lastClientHistogram).summary(),
      broadcasts: wire.broadcasts,
      incompleteBroadcasts: wire.incomplete,
      lost: wire.lost,
      unexpectedCloses: wire.unexpectedCloses,
    },
    trigger:
      wire.trigger === null
        ? null
        : {
            sent: wire.trigger.sent,
            ok: wire.trigger.ok,
            latency: LatencyHistogram.decode(wire.trigger.histogram).summary(),
          },
  };
}

/**
 * The error share of a fan-out run: the worst of its failed connections, failed broadcast triggers and copies
 * of broadcasts lost (an open client never got them). One share over all of them together would let 30 lost
 * broadcasts hide behind 1000 good connections. Null when nothing was attempted.
 */
export function wsErrorShare(wire: WireWs): number | null {
  const shares = [
    wire.attempted > 0 ? (wire.attempted - wire.ok) / wire.attempted : null,
    wire.trigger !== null && wire.trigger.sent > 0 ? (wire.trigger.sent - wire.trigger.ok) / wire.trigger.sent : null,
    wire.received + wire.lost > 0 ? wire.lost / (wire.received + wire.lost) : null,
  ].filter((s): s is number => s !== null);
  return shares.length > 0 ? share(Math.max(...shares), 1) : null;
}

/** Errors of a fan-out run: failed connections, failed triggers, broadcasts some open client never got. */
export function wsErrors(wire: WireWs): ErrorCounts {
  const incomplete: Record<string, number> = wire.incomplete > 0 ? { 'incomplete broadcast': wire.incomplete } : {};
  const closes: Record<string, number> = wire.unexpectedCloses > 0 ? { 'closed by server': wire.unexpectedCloses } : {};
  const connect = Object.fromEntries(Object.entries(wire.connectErrors).map(([type, n]) => [`connect ${type}`, n]));
  const triggerErrors = Object.entries(wire.trigger?.errors ?? {});
  const trigger = Object.fromEntries(triggerErrors.map(([type, n]) => [`broadcast ${type}`, n]));
  return mergeErrors([connect, trigger, incomplete, closes]);
}
