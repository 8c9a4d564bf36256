/**
 * Built-in probe `offline-queue`: what does a queued message cost, and does the churn of users going offline,
 * piling up messages, reconnecting and draining leave anything behind?
 *
 * 20 "commuting" users cycle: while offline, 250 messages are queued for each (5 iterations of 50 each), then
 * one iteration per user reconnects it over a real WebSocket on 127.0.0.1, receives its queue, acks every
 * message and disconnects. 5 "absent" users never come back: their queues sit at the cap (500 here) and drop
 * the oldest message, which is what keeps a correct service flat. `items()` is the number of queued messages,
 * which swings between ~2,500 and ~7,500 within a cycle: per-item memory is per queued message.
 *
 * Metrics: drainMs / drainP99Ms (reconnect to last queued message), messagesDelivered (received and acked by
 * the clients), reconnects, dropped, expired and maxQueueDepth (the service's own counters).
 */
import { defineProbe } from 'memprobe';
import type { ProbeContext } from 'memprobe';
import type { NotificationInput } from '../src/service/interface.js';
import { drainQueue } from './support/drain-client.js';
import { LatencyHistogram, roundMs } from './support/stats.js';
import { createTargetService, shutDown, type NotificationService } from './support/target.js';
import { intOption } from './support/wait.js';

const COMMUTERS = 20;
const ABSENT = 5;
/** Messages queued per commuter per cycle (the brief asks for 200+). */
const DEPTH = 250;
const FILL_BATCH = 50;
const FILL_STEPS = DEPTH / FILL_BATCH;
/** Above DEPTH, so commuters never drop; absent users reach it in the warm-up and stay there. */
const QUEUE_CAP = 500;
const DRAIN_TIMEOUT_MS = 10_000;
const METRICS_EVERY = 20;

interface State {
  readonly service: NotificationService;
  readonly wsUrl: string;
  readonly commuters: readonly string[];
  readonly absent: readonly string[];
  readonly drain: LatencyHistogram;
  readonly timeoutMs: number;
  /** 0..FILL_STEPS-1: filling; FILL_STEPS..FILL_STEPS+COMMUTERS-1: draining commuter (step - FILL_STEPS). */
  step: number;
  seq: number;
  delivered: number;
}

function queueFor(state: State, userId: string): void {
  for (let i = 0; i < FILL_BATCH; i++) {
    const n = ++state.seq;
    const input: NotificationInput = {
      userId,
      title: `Message ${n}`,
      body:
        `While you were away: item ${n} changed state to ${n % 2 === 0 ? 'done' : 'blocked'} ` +
        `(${n % 101} comments).`,
      priority: n % 10 === 0 ? 'high' : 'normal',
    };
    state.service.createNotification(input);
  }
}

function report(state: State, context: ProbeContext): void {
  const { dropped, expired, maxQueueDepth } = state.service.stats();
  context.metric('drainMs', roundMs(state.drain.mean));
  context.metric('drainP99Ms', roundMs(state.drain.percentile(0.99)));
  context.metric('reconnects', state.drain.count);
  context.metric('messagesDelivered', state.delivered);
  context.metric('dropped', dropped);
  context.metric('expired', expired);
  // The absent users' queues: the cap (500) on a correct service, ever deeper without one.
  context.metric('maxQueueDepth', maxQueueDepth);
}

export default defineProbe<State>({
  name: 'offline-queue',
  budgets: { perItem: '15KB' },

  async setup(context) {
    const service = await createTargetService(context, { queueCap: QUEUE_CAP });
    const { wsUrl } = await service.listen(0);
    const commuters = Array.from({ length: COMMUTERS }, (_, i) => `commuter-${i}`);
    const absent = Array.from({ length: ABSENT }, (_, i) => `absent-${i}`);
    for (const id of [...commuters, ...absent]) service.createUser(id);
    const timeoutMs = intOption(context.options, 'timeoutMs', DRAIN_TIMEOUT_MS);
    const drain = new LatencyHistogram();
    return { service, wsUrl, commuters, absent, drain, timeoutMs, step: 0, seq: 0, delivered: 0 };
  },

  async iteration(state, context) {
    const step = state.step;
    state.step = (step + 1) % (FILL_STEPS + COMMUTERS);
    if (step < FILL_STEPS) {
      for (const id of state.commuters) queueFor(state, id);
      for (const id of state.absent) queueFor(state, id);
      return;
    }
    const userId = state.commuters[step - FILL_STEPS]!;
    const { received, drainMs } = await drainQueue(state.wsUrl, userId, DEPTH, state.timeoutMs);
    state.drain.record(drainMs);
    state.delivered += received;
    if (state.drain.count % METRICS_EVERY === 0) report(state, context);
  },

  items: (state) => state.service.stats().queuedMessages,

  async teardown(state, context) {
    report(state, context);
    await shutDown(state.service);
  },
});
