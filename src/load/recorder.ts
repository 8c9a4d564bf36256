/**
 * Per-step, per-operation counters of the generator: a latency histogram of successful responses,
 * completions and errors by type. A response with status >= 400 is an error named `http <status>`.
 */
import type { WireStep } from './generator-protocol.js';
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
  /** When the last success came (performance.now() ms; 0: none yet). */
  #lastCompletedAt = 0;
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
   * Records the end of one request of operation `op` at `now` (performance.now() ms): latency from its
   * intended send time, response time from when it was written to a socket. False when it was an error.
   */
  record(
    op: number,
    status: number,
    error: string | null,
    now: number,
    latencyMs: number,
    responseMs: number,
  ): boolean {
    if (error === CANCELLED) return false;
    const stats = this.#operations[op]!;
    const type = errorType(status, error);
    if (type !== null) {
      addError(stats.errors, type);
      return false;
    }
    stats.completed++;
    this.#lastCompletedAt = now;
    stats.histogram.recordMs(latencyMs);
    stats.response.recordMs(responseMs);
    return true;
  }

  /** Requests answered and failed so far. */
  progress(): { done: number; errors: number } {
    let done = 0;
    let errors = 0;
    for (const stats of this.#operations) {
      done += stats.completed;
      for (const count of stats.errors.values()) errors += count;
    }
    return { done, errors };
  }

  toWire(): WireStep {
    return {
      index: this.index,
      users: this.users,
      rate: this.rate,
      startedAt: this.startedAt,
      durationMs: this.durationMs,
      lastCompletedAt: this.#lastCompletedAt > 0 ? performance.timeOrigin + this.#lastCompletedAt : 0,
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
