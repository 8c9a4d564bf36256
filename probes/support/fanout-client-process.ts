/**
 * The WebSocket client process of the ws-fanout probe, forked by ./fanout-clients.ts. Holds N sockets to the
 * service, timestamps every broadcast it receives, and tells the probe when all open sockets got one.
 * It exits when its parent goes away ('disconnect'), so even a SIGKILLed probe leaves no orphan behind.
 *
 * argv[2]: delivery timeout in ms (a broadcast not seen by every open socket by then is reported incomplete).
 */
import { WebSocket } from 'ws';
import type { RawData } from 'ws';
import { epochMs } from './fanout-protocol.js';
import type { FromClients, ToClients } from './fanout-protocol.js';
import { LatencyHistogram } from './stats.js';

const send = process.send?.bind(process);
if (!send) {
  console.error('fanout-client-process: must be forked with an IPC channel');
  process.exit(2);
}
process.on('disconnect', () => process.exit(0));

const deliveryTimeoutMs = Number(process.argv[2]) > 0 ? Number(process.argv[2]) : 8_000;

function post(message: FromClients): void {
  try {
    send!(message);
  } catch {
    process.exit(0); // the probe is gone
  }
}

interface Pending {
  readonly t: number;
  readonly firstSeen: number;
  received: number;
  last: number;
}

/** Open sockets by user id, oldest first (a Map keeps insertion order, so churn rotates through users). */
const open = new Map<string, WebSocket>();
/** Sockets we are closing on purpose, so their close is not counted as unexpected. */
const closing = new Set<WebSocket>();
const pending = new Map<number, Pending>();
const latency = new LatencyHistogram();
let messages = 0;
let flushed = 0;
let unexpectedCloses = 0;

function report(bid: number, entry: Pending, complete: boolean): void {
  pending.delete(bid);
  const lastMs = entry.last - entry.t;
  post({ type: 'delivered', bid, received: entry.received, expected: open.size, lastMs, complete });
}

function checkComplete(bid: number, entry: Pending): void {
  if (entry.received >= open.size) report(bid, entry, true);
}

function onMessage(ws: WebSocket, data: RawData): void {
  const now = epochMs();
  let message: { type?: unknown; id?: unknown; queued?: unknown; data?: { bid?: unknown; t?: unknown } };
  try {
    message = JSON.parse(String(data)) as typeof message;
  } catch {
    return;
  }
  if (message.type !== 'notification') return;
  if (message.queued === true) {
    // Broadcasts missed while away, flushed on reconnect: ack them so the server can let go.
    flushed++;
    if (typeof message.id === 'string') ws.send(JSON.stringify({ type: 'ack', id: message.id }));
    return;
  }
  const bid = message.data?.bid;
  const t = message.data?.t;
  if (typeof bid !== 'number' || typeof t !== 'number') return;
  messages++;
  latency.record(now - t);
  let entry = pending.get(bid);
  if (entry === undefined) pending.set(bid, (entry = { t, firstSeen: now, received: 0, last: now }));
  entry.received++;
  entry.last = now;
  checkComplete(bid, entry);
}

function onClose(userId: string, ws: WebSocket): void {
  if (open.get(userId) === ws) open.delete(userId);
  if (closing.delete(ws)) return;
  unexpectedCloses++;
  for (const [bid, entry] of pending) checkComplete(bid, entry);
}

/** Opens one socket; resolves with its handshake time, or rejects. */
function connectOne(url: string, userId: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const ws = new WebSocket(`${url}?userId=${encodeURIComponent(userId)}`, {
      perMessageDeflate: false,
      handshakeTimeout: timeoutMs,
    });
    // Attached before 'open': a queue flush can arrive right behind the handshake.
    ws.on('message', (data: RawData) => onMessage(ws, data));
    ws.on('error', (error) => reject(error));
    ws.once('open', () => {
      open.get(userId)?.terminate();
      open.set(userId, ws);
      ws.once('close', () => onClose(userId, ws));
      resolve(performance.now() - started);
    });
    ws.once('close', () => reject(new Error(`closed before open (${userId})`)));
  });
}

async function connect(request: Extract<ToClients, { type: 'connect' }>): Promise<void> {
  const connectMs: number[] = [];
  let failed = 0;
  let firstError: string | null = null;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < request.userIds.length) {
      const userId = request.userIds[next++]!;
      try {
        connectMs.push(await connectOne(request.url, userId, request.timeoutMs));
      } catch (error) {
        failed++;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  const workers = Math.max(1, Math.min(request.concurrency, request.userIds.length));
  await Promise.all(Array.from({ length: workers }, worker));
  post({ type: 'connected', id: request.id, ok: connectMs.length, failed, connectMs, firstError, open: open.size });
}

async function disconnect(request: Extract<ToClients, { type: 'disconnect' }>): Promise<void> {
  const victims = [...open].slice(0, request.count);
  await Promise.all(
    victims.map(
      ([, ws]) =>
        new Promise<void>((resolve) => {
          closing.add(ws);
          const timer = setTimeout(() => ws.terminate(), request.timeoutMs);
          ws.once('close', () => {
            clearTimeout(timer);
            resolve();
          });
          ws.close(1000, 'churn');
        }),
    ),
  );
  post({ type: 'disconnected', id: request.id, userIds: victims.map(([userId]) => userId), open: open.size });
}

function stats(id: number): void {
  post({
    type: 'stats',
    id,
    messages,
    flushed,
    latencyMeanMs: latency.mean,
    latencyP50Ms: latency.percentile(0.5),
    latencyP99Ms: latency.percentile(0.99),
    latencyMaxMs: latency.max,
    open: open.size,
    unexpectedCloses,
  });
}

function shutdown(id: number): void {
  for (const ws of open.values()) {
    closing.add(ws);
    ws.terminate();
  }
  try {
    send!({ type: 'shutdown', id } satisfies FromClients, () => process.exit(0));
  } catch {
    process.exit(0);
  }
  setTimeout(() => process.exit(0), 1000).unref();
}

// A broadcast some socket never got would otherwise wait forever: report it incomplete.
setInterval(() => {
  const now = epochMs();
  for (const [bid, entry] of pending) if (now - entry.firstSeen > deliveryTimeoutMs) report(bid, entry, false);
}, 250).unref();

process.on('message', (raw: unknown) => {
  const request = raw as ToClients;
  switch (request.type) {
    case 'connect':
      void connect(request);
      break;
    case 'disconnect':
      void disconnect(request);
      break;
    case 'stats':
      stats(request.id);
      break;
    case 'shutdown':
      shutdown(request.id);
      break;
  }
});

post({ type: 'ready', pid: process.pid });
