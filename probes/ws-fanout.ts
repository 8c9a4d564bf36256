/**
 * Built-in probe `ws-fanout`: the service broadcasting to N WebSocket clients (default 100, `--connections N`),
 * with connect/disconnect churn. The server is the service in the measured child; the clients live in a
 * forked process (./support/fanout-client-process.ts), so only the server's memory is measured.
 *
 * Setup connects N clients and measures the handshake time of each and the server's post-GC memory per
 * connection. Each iteration broadcasts one message carrying its send time and waits (bounded) until every
 * open client has it. Every `churnEvery` iterations (default 20) 10% of the clients disconnect, and half a
 * period later they reconnect (and ack the broadcasts they missed, flushed from their offline queues), so the
 * open-connection count (`items()`) moves and per-connection memory and churn growth are both measured.
 *
 * Own budgets (context.check, also recorded as metrics): connectAvgMs < 2000, connectSuccessRate > 0.8,
 * messagesPerSecond > 100, broadcastP50Ms / broadcastP99Ms < 1000 (judged at 50+ connections),
 * serverBytesPerConnection < 1 MB (post-GC heap + external of the server, before/after connecting in setup).
 */
import { defineProbe } from 'memprobe';
import type { ProbeContext } from 'memprobe';
import { FanoutClients } from './support/fanout-clients.js';
import { epochMs, type BroadcastStamp } from './support/fanout-protocol.js';
import { LatencyHistogram, roundMs, settledMemory, shareOf } from './support/stats.js';
import { createTargetService, shutDown, type NotificationService } from './support/target.js';
import { intOption, pollUntil } from './support/wait.js';

const DEFAULT_CONNECTIONS = 100;
const DEFAULT_CHURN_EVERY = 20;
const CHURN_SHARE = 0.1;
/** Handshakes in flight at once: well under the listen backlog (511). */
const CONNECT_CONCURRENCY = 64;
const CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_DELIVERY_TIMEOUT_MS = 10_000;
/** How long the server may take to drop sockets the clients closed before the count is read anyway. */
const SERVER_CLOSE_WAIT_MS = 25;
/** Broadcasts only need to reach the socket; a short history keeps the per-user state small and saturated. */
const HISTORY_CAP = 10;
const BODY = 'Scheduled maintenance window: notifications may be delayed for a few minutes. '.repeat(2);
const METRICS_EVERY = 64;
/** The probe's own budgets (context.check): they appear in the report next to the memory budgets. */
const MAX_CONNECT_AVG_MS = 2000;
const MIN_CONNECT_SUCCESS = 0.8;
const MIN_MESSAGES_PER_SECOND = 100;
const MAX_BROADCAST_MS = 1000;
/** Below this many connections the broadcast latency is recorded but not judged. */
const BROADCAST_BUDGET_MIN_CONNECTIONS = 50;
const MAX_SERVER_BYTES_PER_CONNECTION = 1024 * 1024;

interface State {
  readonly service: NotificationService;
  readonly wsUrl: string;
  readonly clients: FanoutClients;
  readonly churnEvery: number;
  readonly churnCount: number;
  /** Clients connected in setup. */
  readonly connections: number;
  readonly timeoutMs: number;
  readonly broadcast: LatencyHistogram;
  readonly reconnect: LatencyHistogram;
  /** Users whose socket is closed by churn, waiting to reconnect. */
  away: readonly string[];
  /** Open sockets, as the client process last reported. */
  open: number;
  iterations: number;
  delivered: number;
  reconnectFailed: number;
  churnCycles: number;
  firstIterationAt: number;
}

function connectMetrics(context: ProbeContext, connectMs: readonly number[], failed: number): void {
  const histogram = new LatencyHistogram();
  for (const ms of connectMs) histogram.record(ms);
  context.check('connectAvgMs', roundMs(histogram.mean), { below: MAX_CONNECT_AVG_MS, unit: ' ms' });
  context.metric('connectP99Ms', roundMs(histogram.percentile(0.99)));
  context.check('connectSuccessRate', shareOf(connectMs.length, connectMs.length + failed), {
    above: MIN_CONNECT_SUCCESS,
    unit: '%',
  });
}

function report(state: State, context: ProbeContext): void {
  const seconds = (performance.now() - state.firstIterationAt) / 1000;
  context.metric('broadcasts', state.broadcast.count);
  context.metric('messagesDelivered', state.delivered);
  const perSecond = seconds > 0 ? Math.round(state.delivered / seconds) : 0;
  context.check('messagesPerSecond', perSecond, { above: MIN_MESSAGES_PER_SECOND, unit: '/s' });
  const p50 = roundMs(state.broadcast.percentile(0.5));
  const p99 = roundMs(state.broadcast.percentile(0.99));
  if (state.connections >= BROADCAST_BUDGET_MIN_CONNECTIONS) {
    context.check('broadcastP50Ms', p50, { below: MAX_BROADCAST_MS, unit: ' ms' });
    context.check('broadcastP99Ms', p99, { below: MAX_BROADCAST_MS, unit: ' ms' });
  } else {
    context.metric('broadcastP50Ms', p50);
    context.metric('broadcastP99Ms', p99);
  }
  context.metric('broadcastMaxMs', roundMs(state.broadcast.max));
  context.metric('churnCycles', state.churnCycles);
  context.metric('reconnectAvgMs', roundMs(state.reconnect.mean));
  context.metric('reconnectSuccessRate', shareOf(state.reconnect.count, state.reconnect.count + state.reconnectFailed));
}

/** Closes `churnCount` sockets and waits (briefly, bounded) for the server to drop them. */
async function leave(state: State): Promise<void> {
  // Always leave one client connected, so every broadcast has someone to wait for.
  const count = Math.min(state.churnCount, state.open - 1);
  if (count <= 0) return;
  const serverBefore = state.service.stats().connections;
  const reply = await state.clients.disconnect(count, CONNECT_TIMEOUT_MS);
  state.away = reply.userIds;
  state.open = reply.open;
  const target = serverBefore - reply.userIds.length;
  await pollUntil(() => state.service.stats().connections <= target, SERVER_CLOSE_WAIT_MS);
}

async function rejoin(state: State): Promise<void> {
  const reply = await state.clients.connect(state.wsUrl, state.away, CONNECT_CONCURRENCY, CONNECT_TIMEOUT_MS);
  for (const ms of reply.connectMs) state.reconnect.record(ms);
  state.reconnectFailed += reply.failed;
  state.open = reply.open;
  state.away = [];
  state.churnCycles++;
  if (reply.open === 0) throw new Error(`no WebSocket client is connected any more: ${reply.firstError}`);
}

export default defineProbe<State>({
  name: 'ws-fanout',
  budgets: { perItem: '1MB' },

  async setup(context) {
    const connections = Math.max(1, intOption(context.options, 'connections', DEFAULT_CONNECTIONS, 100_000));
    const churnEvery = Math.max(2, intOption(context.options, 'churnEvery', DEFAULT_CHURN_EVERY));
    const timeoutMs = Math.max(100, intOption(context.options, 'timeoutMs', DEFAULT_DELIVERY_TIMEOUT_MS));
    const service = await createTargetService(context, { historyCap: HISTORY_CAP });
    let clients: FanoutClients | undefined;
    try {
      const { wsUrl } = await service.listen(0);
      clients = await FanoutClients.start(Math.round(timeoutMs * 0.8));
      context.metric('clientPid', clients.pid);
      const userIds = Array.from({ length: connections }, (_, i) => `fan-${i}`);
      const before = settledMemory();
      const reply = await clients.connect(wsUrl, userIds, CONNECT_CONCURRENCY, CONNECT_TIMEOUT_MS);
      connectMetrics(context, reply.connectMs, reply.failed);
      if (reply.ok === 0) {
        throw new Error(`none of ${connections} WebSocket clients could connect: ${reply.firstError}`);
      }
      await pollUntil(() => service.stats().connections >= reply.ok, 1000);
      context.metric('connections', reply.ok);
      const perConnection = Math.round((settledMemory() - before) / reply.ok);
      context.check('serverBytesPerConnection', perConnection, { below: MAX_SERVER_BYTES_PER_CONNECTION, unit: ' B' });
      return {
        service,
        wsUrl,
        clients,
        churnEvery,
        churnCount: Math.max(1, Math.round(reply.ok * CHURN_SHARE)),
        connections: reply.ok,
        timeoutMs,
        broadcast: new LatencyHistogram(),
        reconnect: new LatencyHistogram(),
        away: [],
        open: reply.open,
        iterations: 0,
        delivered: 0,
        reconnectFailed: 0,
        churnCycles: 0,
        firstIterationAt: 0,
      };
    } catch (error) {
      await clients?.shutdown();
      await shutDown(service);
      throw error;
    }
  },

  async iteration(state, context) {
    const i = ++state.iterations;
    if (i === 1) state.firstIterationAt = performance.now();
    if (i % state.churnEvery === 0 && state.away.length === 0) await leave(state);
    else if (i % state.churnEvery === state.churnEvery >> 1 && state.away.length > 0) await rejoin(state);

    const stamp: BroadcastStamp = { bid: i, t: epochMs() };
    const delivered = state.clients.delivered(i, state.timeoutMs);
    await state.service.broadcast({ title: `Broadcast ${i}`, body: BODY, priority: 'normal', data: { ...stamp } });
    const result = await delivered;
    if (!result.complete) {
      throw new Error(
        `broadcast ${i}: only ${result.received} of ${result.expected} open clients received it within ` +
          `${state.timeoutMs} ms`,
      );
    }
    state.broadcast.record(result.lastMs);
    state.delivered += result.received;
    if (i % METRICS_EVERY === 0) report(state, context);
  },

  items: (state) => state.service.stats().connections,

  async teardown(state, context) {
    report(state, context);
    const stats = await state.clients.stats(5_000).catch(() => null);
    if (stats !== null) {
      // Connections the server still holds beyond the clients' open sockets: 0 unless closed ones leak.
      context.metric('staleServerConnections', state.service.stats().connections - stats.open);
      context.metric('messageLatencyP50Ms', roundMs(stats.latencyP50Ms));
      context.metric('messageLatencyP99Ms', roundMs(stats.latencyP99Ms));
      context.metric('flushedOnReconnect', stats.flushed);
      context.metric('unexpectedCloses', stats.unexpectedCloses);
    }
    await state.clients.shutdown();
    await shutDown(state.service);
  },
});
