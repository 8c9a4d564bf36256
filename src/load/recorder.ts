/**
 * Per-step, per-operation counters of the generator: a latency histogram of successful responses,
 * completions and errors by type. A response with status >= 400 is an error named `http <status>`.
 */
import { epochNow, type WireStep } from './generator-protocol.js';
import { LatencyHistogram } from './histogram.js';

/** Transport errors that end a request without being a result (Ctrl-C); never counted. */
export const CANCELLED = 'cancelled';

class OperationStats {
  readonly histogram = new LatencyHistogram();
  readonly response = new LatencyHistogram();
  completed = 0;
  readonly errors = new Map<string, number>();
}

export function errorType(status: number, error: string | null): string | null {
  if (error !== null) return error;
  return status >= 400 ? `http ${status}` : null;
}

export function addError(errors: Map<string, number>, type: string): void {
  errors.set(type, (errors.get(type) ?? 0) + 1);
}

export class StepRecorder {
  sent = 0;
  connections = 0;
  /** Requests that waited for a free connection, and the longest line of them. */
  waited = 0;
  maxWaiting = 0;
  durationMs: number;
  /** Successful and failed requests so far (progress), and when the last success came (epoch ms). */
  done = 0;
  failed = 0;
  lastCompletedAt = 0;
  readonly #operations: OperationStats[];

  constructor(
    readonly index: number,
    readonly users: number | null,
    readonly rate: number | null,
    readonly startedAt: number,
    plannedMs: number,
    private readonly operations: ReadonlyArray<{ readonly name: string; readonly weight: number }>,
  ) {
    this.durationMs = plannedMs;
    this.#operations = operations.map(() => new OperationStats());
  }

  /**
   * Records the end of one request of operation `op`: latency from its intended send time, response time
   * from when it was written to a socket. False when it was an error.
   */
  record(op: number, status: number, error: string | null, latencyMs: number, responseMs: number): boolean {
    if (error === CANCELLED) return false;
    const stats = this.#operations[op]!;
    const type = errorType(status, error);
    if (type !== null) {
      addError(stats.errors, type);
      this.failed++;
      return false;
    }
    stats.completed++;
    this.done++;
    this.lastCompletedAt = epochNow();
    stats.histogram.recordMs(latencyMs);
    stats.response.recordMs(responseMs);
    return true;
  }

  toWire(): WireStep {
    return {
      index: this.index,
      users: this.users,
      rate: this.rate,
      startedAt: this.startedAt,
      durationMs: this.durationMs,
      lastCompletedAt: this.lastCompletedAt,
      sent: this.sent,
      connections: this.connections,
      waited: this.waited,
      maxWaiting: this.maxWaiting,
      operations: this.#operations.map((stats, i) => ({
        name: this.operations[i]!.name,
        weight: this.operations[i]!.weight,
        histogram: stats.histogram.encode(),
        responseHistogram: stats.response.encode(),
        completed: stats.completed,
        errors: Object.fromEntries(stats.errors),
      })),
    };
  }
}
