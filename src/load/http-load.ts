/**
 * The generator's HTTP runners. Open model: request k is due at start + k/rate and its latency counts from
 * that intended time, so a stalled server's backlog is charged to the server, not hidden (no coordinated
 * omission). Closed model: each user sends back to back (or after --think), stepping through the ramp.
 * Both record, per step, when a send started relative to its intended time: the generator's own lateness.
 */
import { ERROR_BACKOFF_MS, INTERRUPT_DRAIN_MS, SETUP_LIMIT_MS, TIMEOUT_SWEEP_MS } from './defaults.js';
import type { Meter, RunControl } from './control.js';
import { LatencyHistogram } from './histogram.js';
import { HttpPool, type PendingRequest } from './http-pool.js';
import { addError, CANCELLED, errorType, StepRecorder } from './recorder.js';
import { CaptureStore, CompiledOperation } from './request-builder.js';
import { OpenSchedule } from './open-schedule.js';
import { scheduledCount, seededRandom, WeightedPicker } from './schedule.js';
import type { GeneratorPlan } from './plan-types.js';

interface Tag {
  readonly op: number;
  readonly user: number;
  readonly step: StepRecorder | null;
  /** Setup requests report here instead of to a step. */
  readonly setup: ((failure: string | null) => void) | null;
  /** Closed model: the user's next move. */
  readonly after: ((failure: string | null, transport: boolean) => void) | null;
}

/** `http://host:port` to a pool target; IPv6 brackets removed. */
export function poolTarget(origin: string): { host: string; port: number; hostHeader: string } {
  const url = new URL(origin);
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 80), hostHeader: url.host };
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export class HttpLoad {
  readonly steps: StepRecorder[] = [];
  readonly lag = new LatencyHistogram();
  readonly notes: string[] = [];
  readonly #plan: GeneratorPlan;
  readonly #control: RunControl;
  readonly #meter: Meter;
  readonly #pool: HttpPool;
  readonly #ops: CompiledOperation[];
  readonly #setupOps: CompiledOperation[];
  readonly #picker: WeightedPicker;
  readonly #random: () => number;
  readonly #captured = new CaptureStore();
  #counter = 0;
  #step: StepRecorder | null = null;
  /** Open model: a response arrived, so sends that are due can go now. */
  #poke: () => void = () => undefined;

  constructor(plan: GeneratorPlan, control: RunControl, meter: Meter) {
    this.#plan = plan;
    this.#control = control;
    this.#meter = meter;
    const target = poolTarget(plan.origin ?? '');
    const userId = (user: number): string => `${plan.runId}u${user}`;
    this.#ops = plan.scenario.operations.map((op) => new CompiledOperation(op, target.hostHeader, userId));
    this.#setupOps = plan.scenario.setup.map((op) => new CompiledOperation(op, target.hostHeader, userId));
    this.#picker = new WeightedPicker(plan.scenario.operations.map((op) => op.weight));
    this.#random = seededRandom(plan.seed);
    const maxSockets = plan.mode === 'closed' ? Math.max(...plan.users) : plan.connections;
    this.#pool = new HttpPool(target, maxSockets, plan.timeoutMs, (request, status, error, body, now) =>
      this.#done(request, status, error, body, now),
    );
  }

  /** Requests answered and failed in the measured steps so far. */
  progress(): { done: number; errors: number } {
    const each = this.steps.map((s) => s.progress());
    return { done: each.reduce((n, p) => n + p.done, 0), errors: each.reduce((n, p) => n + p.errors, 0) };
  }

  async run(): Promise<void> {
    const sweep = setInterval(() => this.#pool.sweep(performance.now()), TIMEOUT_SWEEP_MS);
    try {
      await this.#setup();
      if (this.#plan.mode === 'open') await this.#open();
      else await this.#closed();
      this.#meter.stop(); // the measured window ends here; the drain is mostly waiting
      await this.#drain();
    } finally {
      clearInterval(sweep);
      this.#pool.close(CANCELLED);
    }
  }

  #done(request: PendingRequest, status: number, error: string | null, body: Buffer | null, now: number): void {
    const tag = request.tag as Tag;
    const failure = errorType(status, error);
    const operations = tag.setup !== null ? this.#setupOps : this.#ops;
    if (failure === null && body !== null) operations[tag.op]!.capture(body, tag.user, this.#captured);
    if (tag.setup !== null) return tag.setup(failure);
    tag.step?.record(tag.op, status, error, now, now - request.intended, now - request.sentAt);
    tag.after?.(failure, status === 0 && error !== CANCELLED);
    this.#poke();
  }

  #send(intended: number, tag: Tag, operations = this.#ops): void {
    const compiled = operations[tag.op]!;
    const variables = { user: tag.user, i: ++this.#counter, rand: Math.floor(this.#random() * 1e9) };
    const bytes = compiled.build(variables, this.#captured);
    const keepBody = compiled.captures.length > 0;
    this.#pool.submit({ bytes, isHead: compiled.isHead, keepBody, intended, sentAt: intended, tag });
  }

  /** Setup requests of every scenario user, `connections` users at a time, bounded in time. */
  async #setup(): Promise<void> {
    const { scenario, connections, timeoutMs } = this.#plan;
    if (this.#setupOps.length === 0 || this.#control.stopped) return;
    this.#control.phase('setup');
    const deadline = performance.now() + Math.max(SETUP_LIMIT_MS, 2 * timeoutMs);
    const errors = new Map<string, number>();
    let ok = 0;
    let nextUser = 1;
    const one = (op: number, user: number): Promise<string | null> =>
      new Promise((resolve) => {
        this.#send(performance.now(), { op, user, step: null, setup: resolve, after: null }, this.#setupOps);
      });
    const worker = async (): Promise<void> => {
      while (nextUser <= scenario.users && !this.#control.stopped && performance.now() < deadline) {
        const user = nextUser++;
        for (let op = 0; op < this.#setupOps.length; op++) {
          const failure = await one(op, user);
          if (failure === null) ok++;
          else addError(errors, `${this.#setupOps[op]!.name}: ${failure}`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(scenario.users, Math.max(1, connections)) }, worker));
    this.#pool.closeIdle(); // the measured load opens its own connections
    const failed = [...errors.values()].reduce((a, b) => a + b, 0);
    if (failed > 0) {
      const byType = [...errors].map(([t, n]) => `${t} x${n}`).join(', ');
      this.notes.push(`scenario setup: ${failed} of ${ok + failed} requests failed (${byType})`);
    }
    if (nextUser <= scenario.users && !this.#control.stopped) {
      this.notes.push(`scenario setup stopped after ${nextUser - 1} of ${scenario.users} users (time limit)`);
    }
  }

  #pickUser(): number {
    return 1 + Math.floor(this.#random() * this.#plan.scenario.users);
  }

  /** Open model: every send at its intended time, latency counted from it (see OpenSchedule). */
  async #open(): Promise<void> {
    const { rate, warmupMs, stepMs } = this.#plan;
    if (this.#plan.fixedConnections) this.#pool.openAll();
    const warm = scheduledCount(rate, warmupMs);
    const schedule = new OpenSchedule(
      rate,
      warm + scheduledCount(rate, stepMs),
      (k, intended, now) => {
        if (k === warm) this.#startStep(0, null, rate, performance.timeOrigin + intended, stepMs);
        const step = this.#step;
        if (step !== null) {
          this.lag.recordMs(now - intended);
          step.sent++;
        }
        const op = this.#picker.pick(this.#random());
        this.#send(intended, { op, user: this.#pickUser(), step, setup: null, after: null });
      },
      this.#control,
    );
    if (warm > 0) this.#control.phase('warmup', 0, `${rate}/s`);
    this.#poke = () => schedule.poke();
    await schedule.run();
    this.#poke = () => undefined;
    const step = this.#step;
    if (step !== null) {
      // The full window unless stopped early (the last send is due 1/rate before the window ends).
      const ran = (): number => Math.min(stepMs, Math.max(0, performance.now() - schedule.at(warm)));
      step.durationMs = this.#control.stopped ? ran() : stepMs;
      step.connections = this.#pool.maxOpen;
      step.waited = this.#pool.waited;
      step.maxWaiting = this.#pool.maxWaiting;
    }
  }

  #startStep(
    index: number,
    users: number | null,
    rate: number | null,
    startedAt: number,
    plannedMs: number,
  ): StepRecorder {
    const step = new StepRecorder(index, users, rate, startedAt, plannedMs, this.#plan.scenario.operations);
    this.steps.push(step);
    this.#step = step;
    this.#pool.resetCounters();
    this.#meter.start();
    this.#control.phase('step', index, users !== null ? plural(users, 'user') : `${rate}/s`);
    return step;
  }

  /** Closed model: users send back to back (or after think time); each step adds users up to its count. */
  async #closed(): Promise<void> {
    const { users: ramp, warmupMs, stepMs, thinkMs, scenario } = this.#plan;
    let running = 0;
    let stopped = false;
    const startUser = (index: number): void => {
      const user = ((index - 1) % scenario.users) + 1;
      const send = (intended: number): void => {
        if (stopped || this.#control.stopped) return;
        const step = this.#step;
        if (step !== null) step.sent++;
        this.#send(intended, { op: this.#picker.pick(this.#random()), user, step, setup: null, after });
      };
      const after = (failure: string | null, transport: boolean): void => {
        if (stopped || this.#control.stopped) return;
        if (thinkMs > 0 || (failure !== null && transport)) {
          const wait = thinkMs > 0 ? thinkMs : ERROR_BACKOFF_MS;
          const at = performance.now() + wait;
          setTimeout(() => {
            if (thinkMs > 0 && this.#step !== null) this.lag.recordMs(performance.now() - at);
            send(at);
          }, wait);
        } else send(performance.now());
      };
      send(performance.now());
    };
    const grow = (count: number): void => {
      while (running < count) startUser(++running);
    };
    if (warmupMs > 0 && !this.#control.stopped) {
      this.#control.phase('warmup', 0, plural(ramp[0]!, 'user'));
      grow(ramp[0]!);
      await this.#control.sleep(warmupMs);
    }
    for (let index = 0; index < ramp.length && !this.#control.stopped; index++) {
      const step = this.#startStep(index, ramp[index]!, null, performance.timeOrigin + performance.now(), stepMs);
      const began = performance.now();
      grow(ramp[index]!);
      await this.#control.sleep(stepMs);
      step.durationMs = Math.min(stepMs, performance.now() - began);
      step.connections = this.#pool.maxOpen;
    }
    stopped = true;
  }

  /** Waits for the requests still out: until each ends or times out (after Ctrl-C: briefly). */
  async #drain(): Promise<void> {
    this.#step = null;
    this.#control.phase('drain');
    const now = performance.now();
    let deadline = now + (this.#control.stopped ? INTERRUPT_DRAIN_MS : this.#plan.timeoutMs + 4 * TIMEOUT_SWEEP_MS);
    const off = this.#control.onStop(() => (deadline = Math.min(deadline, performance.now() + INTERRUPT_DRAIN_MS)));
    while (this.#pool.pending > 0 && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    off();
  }
}
