/**
 * What the generator's runners share: the stop flag (Ctrl-C in the parent), phase reports, sleeps that end
 * early on stop, and the generator's own CPU and event-loop meter.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { GeneratorPhase } from './generator-protocol.js';

export class RunControl {
  #stopped = false;
  readonly #wakers = new Set<() => void>();

  constructor(private readonly report: (phase: GeneratorPhase, step: number, label: string) => void) {}

  get stopped(): boolean {
    return this.#stopped;
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const wake of [...this.#wakers]) wake();
  }

  /** Calls `wake` once when stop() is called (now, if already stopped); returns an unsubscribe. */
  onStop(wake: () => void): () => void {
    if (this.#stopped) {
      wake();
      return () => undefined;
    }
    this.#wakers.add(wake);
    return () => this.#wakers.delete(wake);
  }

  phase(phase: GeneratorPhase, step = 0, label = ''): void {
    this.report(phase, step, label);
  }

  /** Resolves after `ms`, or at once on stop. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const off = this.onStop(() => {
        clearTimeout(timer);
        resolve();
      });
      const timer = setTimeout(() => {
        off();
        resolve();
      }, ms);
    });
  }
}

/** The loop-delay timer's period; Node's readings include it, so it is subtracted. */
const LOOP_RESOLUTION_MS = 5;

/** The generator's CPU (share of one core) and event-loop delay over the measured window. */
const delayMs = (nanos: number): number => Math.max(0, Math.round(nanos / 1e3 - LOOP_RESOLUTION_MS * 1e3) / 1e3);

export class Meter {
  #cpu: NodeJS.CpuUsage | null = null;
  #startedAt = 0;
  #result: { cpuPercent: number; eventLoopP99Ms: number; eventLoopMaxMs: number } | null = null;
  readonly #loop: IntervalHistogram = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });

  start(): void {
    if (this.#cpu !== null) return;
    this.#cpu = process.cpuUsage();
    this.#startedAt = performance.now();
    this.#loop.enable();
  }

  stop(): { cpuPercent: number; eventLoopP99Ms: number; eventLoopMaxMs: number } {
    if (this.#result !== null) return this.#result;
    if (this.#cpu === null) return (this.#result = { cpuPercent: 0, eventLoopP99Ms: 0, eventLoopMaxMs: 0 });
    const used = process.cpuUsage(this.#cpu);
    const wallMs = performance.now() - this.#startedAt;
    this.#loop.disable();
    const count = this.#loop.count;
    this.#result = {
      cpuPercent: wallMs > 0 ? Math.round(((used.user + used.system) / 1000 / wallMs) * 1000) / 10 : 0,
      eventLoopP99Ms: count > 0 ? delayMs(this.#loop.percentile(99)) : 0,
      eventLoopMaxMs: count > 0 ? delayMs(this.#loop.max) : 0,
    };
    return this.#result;
  }
}
