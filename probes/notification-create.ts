/**
 * Built-in probe `notification-create`: what does each notification the service holds cost, and does creating
 * them at full speed leak?
 *
 * Each iteration creates a batch of 1000 notifications spread over 25 users (issued concurrently and awaited,
 * so an async target works too). Every 3rd batch starts from a cleared service, so the number of notifications
 * held (`items()`) moves between 1000 and 3000 in a cycle much shorter than the sample interval: per-item memory
 * is the slope of memory against that count, and growth over time stays flat for a correct service.
 * The users have no socket, so each notification is also in its user's offline queue: that is part of its cost.
 *
 * Setup first runs a burst (graceful degradation): 5,000 `POST /notifications` over 256 concurrent HTTP
 * connections on 127.0.0.1, then releases the burst's data and checks that memory came back near its baseline.
 * `--option burst=0` skips it; `burstRequests=N`, `burstConcurrency=N` size it.
 *
 * Own budgets (context.check, also recorded as metrics): throughputPerSecond > 100 (per second inside
 * iterations), avgOpMs < 100, successRate > 0.95, burstSuccessRate > 0.7, burstRecoveredShare > 0.8.
 */
import { defineProbe } from 'memprobe';
import type { ProbeContext } from 'memprobe';
import type { NotificationInput, Priority } from '../src/service/interface.js';
import { httpBurst } from './support/http-burst.js';
import { LatencyHistogram, roundMs, settledMemory, shareOf } from './support/stats.js';
import { createTargetService, shutDown, type NotificationService } from './support/target.js';
import { intOption, withTimeout } from './support/wait.js';

const USERS = 25;
const BATCH = 1000;
/** Batches between clears: the held count cycles 1000..3000, about 1.3 MB on the reference service. */
const CLEAR_EVERY = 3;
/** Above the most a user gets between clears (3 x 1000 / 25 = 120), so the history cap never hides items. */
const HISTORY_CAP = 200;
const METRICS_EVERY = 16;
/** An async target's batch must settle within this, or the iteration fails saying so. */
const ASYNC_BATCH_TIMEOUT_MS = 10_000;
const PRIORITIES: readonly Priority[] = ['low', 'normal', 'high'];
const STEPS = ['build', 'test', 'deploy', 'verify', 'rollback'] as const;

/** The probe's own budgets (context.check): they appear in the report next to the memory budgets. */
const MIN_THROUGHPUT = 100;
const MAX_AVG_OP_MS = 100;
const MIN_SUCCESS = 0.95;
const MIN_BURST_SUCCESS = 0.7;
/** "Memory returns near its baseline": at least this share of what the burst held comes back. */
const MIN_BURST_RECOVERED = 0.8;

const BURST_REQUESTS = 5_000;
const BURST_WARMUP_REQUESTS = 1_000;
const BURST_CONCURRENCY = 256;
const BURST_USERS = 100;

interface State {
  readonly service: NotificationService;
  readonly users: string[];
  readonly latency: LatencyHistogram;
  seq: number;
  batches: number;
  attempted: number;
  succeeded: number;
  busyMs: number;
  firstError: string | undefined;
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as { then?: unknown } | null)?.then === 'function';

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function inputFor(userId: string, n: number): NotificationInput {
  return {
    userId,
    title: `Pipeline ${n} finished`,
    body: `Pipeline ${n} for ${userId}: ${STEPS[n % STEPS.length]} took ${n % 997} ms on runner ${n % 13}.`,
    priority: PRIORITIES[n % PRIORITIES.length]!,
    topic: 'ci',
    data: { pipeline: n },
  };
}

/** A burst notification carries a ~1 KB log excerpt, so what the burst holds stands well above JIT noise. */
const LOG_TAIL = Array.from({ length: 16 }, (_, i) => `[step ${i}] ok: cache restored, 1342 files checked`).join('\n');

function burstInputFor(userId: string, n: number): NotificationInput {
  const input = inputFor(userId, n);
  return { ...input, body: `${input.body}\n${LOG_TAIL}` };
}

function createUsers(state: State): void {
  for (const id of state.users) state.service.createUser(id);
}

function burstUsers(service: NotificationService): string[] {
  return Array.from({ length: BURST_USERS }, (_, i) => service.createUser(`burst-${i}`).id);
}

/**
 * Runs the burst against `service` and releases everything it left; reports the degradation metrics.
 * A small burst first warms the HTTP code paths, whose one-time JIT code and pools would read as residue.
 */
async function burst(service: NotificationService, context: ProbeContext): Promise<void> {
  const requests = intOption(context.options, 'burstRequests', BURST_REQUESTS);
  const concurrency = Math.max(1, intOption(context.options, 'burstConcurrency', BURST_CONCURRENCY, 10_000));
  const { url } = await service.listen(0);
  const plan = (count: number, users: readonly string[]) => ({
    url,
    requests: count,
    concurrency,
    requestTimeoutMs: 10_000,
    deadlineMs: 20_000,
    okStatus: 201,
    requestFor: (i: number) => ({
      path: '/notifications',
      body: JSON.stringify(burstInputFor(users[i % users.length]!, i)),
    }),
  });
  await httpBurst(plan(Math.min(requests, BURST_WARMUP_REQUESTS), burstUsers(service)));
  service.clear();
  const users = burstUsers(service);
  const before = settledMemory();
  const result = await httpBurst(plan(requests, users));
  const retained = settledMemory();
  await shutDown(service);
  const after = settledMemory();
  // Share of what the burst left held that came back once its work was released (1 when it held nothing).
  const held = retained - before;
  const recovered = held <= 0 ? 1 : Math.min(1, Math.max(0, (retained - after) / held));
  context.metric('burstRequests', result.attempted);
  context.check('burstSuccessRate', shareOf(result.succeeded, result.attempted), {
    above: MIN_BURST_SUCCESS,
    unit: '%',
  });
  context.metric('burstRequestsPerSecond', Math.round((result.attempted * 1000) / result.durationMs));
  context.metric('burstRetainedBytes', Math.round(held));
  context.metric('burstResidueBytes', Math.round(after - before));
  context.check('burstRecoveredShare', shareOf(recovered, 1), { above: MIN_BURST_RECOVERED, unit: '%' });
  if (result.succeeded < result.attempted) console.error(`notification-create burst: ${result.firstError}`);
}

function report(state: State, context: ProbeContext): void {
  context.metric('notificationsCreated', state.succeeded);
  const throughput = state.busyMs > 0 ? Math.round((state.succeeded * 1000) / state.busyMs) : 0;
  context.check('throughputPerSecond', throughput, { above: MIN_THROUGHPUT, unit: '/s' });
  context.check('avgOpMs', roundMs(state.latency.mean), { below: MAX_AVG_OP_MS, unit: ' ms' });
  context.metric('p99OpMs', roundMs(state.latency.percentile(0.99)));
  context.check('successRate', shareOf(state.succeeded, state.attempted), { above: MIN_SUCCESS, unit: '%' });
}

export default defineProbe<State>({
  name: 'notification-create',
  budgets: { perItem: '10KB' },

  async setup(context) {
    const service = await createTargetService(context, { historyCap: HISTORY_CAP });
    if (context.options.burst !== '0') await burst(service, context);
    const users = Array.from({ length: USERS }, (_, i) => `user-${i}`);
    const state: State = {
      service,
      users,
      latency: new LatencyHistogram(),
      seq: 0,
      batches: 0,
      attempted: 0,
      succeeded: 0,
      busyMs: 0,
      firstError: undefined,
    };
    createUsers(state);
    return state;
  },

  async iteration(state, context) {
    const { service, users, latency } = state;
    if (state.batches > 0 && state.batches % CLEAR_EVERY === 0) {
      service.clear();
      createUsers(state);
    }
    const started = performance.now();
    let ok = 0;
    let pending: Array<PromiseLike<void>> | undefined;
    const fail = (error: unknown): void => {
      state.firstError ??= messageOf(error);
    };
    for (let i = 0; i < BATCH; i++) {
      const input = inputFor(users[i % USERS]!, ++state.seq);
      const t0 = performance.now();
      try {
        const result: unknown = service.createNotification(input);
        if (isThenable(result)) {
          const settled = result.then(() => {
            latency.record(performance.now() - t0);
            ok++;
          }, fail);
          (pending ??= []).push(settled);
        } else {
          latency.record(performance.now() - t0);
          ok++;
        }
      } catch (error) {
        fail(error);
      }
    }
    if (pending !== undefined) {
      const calls = pending.length;
      await withTimeout(
        Promise.all(pending),
        ASYNC_BATCH_TIMEOUT_MS,
        () => `batch ${state.batches + 1}: ${calls} async createNotification calls did not all settle`,
      );
    }
    state.busyMs += performance.now() - started;
    state.attempted += BATCH;
    state.succeeded += ok;
    state.batches++;
    if (ok === 0) {
      throw new Error(`all ${BATCH} createNotification calls of batch ${state.batches} failed: ${state.firstError}`);
    }
    if (state.batches % METRICS_EVERY === 0) report(state, context);
  },

  items: (state) => state.service.stats().notifications,

  async teardown(state, context) {
    report(state, context);
    if (state.firstError !== undefined) console.error(`notification-create: first failure: ${state.firstError}`);
    await shutDown(state.service);
  },
});
