/**
 * The generator's WebSocket fan-out runner: opens N clients (handshake time of each), then triggers
 * broadcasts with POST <broadcast path> at the open-model rate (or listens to a server that broadcasts on
 * its own), and measures, from the send timestamp each message carries, the latency to every client and
 * per broadcast to the LAST open client.
 *
 * A triggered broadcast carries `data: { mpBid, mpT }` (its number and intended send time, epoch ms, this
 * process's clock). Other messages are timed by their `sentAt` field and grouped by their `id`.
 */
import { WebSocket, type RawData } from 'ws';
import { SETUP_LIMIT_MS, TIMEOUT_SWEEP_MS, WS_CONNECT_CONCURRENCY, WS_TRIGGER_CONNECTIONS } from './defaults.js';
import type { Meter, RunControl } from './control.js';
import type { WireWs } from './generator-protocol.js';
import { LatencyHistogram } from './histogram.js';
import { poolTarget } from './http-load.js';
import { HttpPool } from './http-pool.js';
import { OpenSchedule } from './open-schedule.js';
import { addError, CANCELLED, errorType } from './recorder.js';
import { scheduledCount } from './schedule.js';
import type { GeneratorPlan } from './plan-types.js';

interface Broadcast {
  /** Send timestamp, epoch ms. */
  readonly t: number;
  /** performance.now() when tracking began (timeout base). */
  readonly since: number;
  received: number;
  last: number;
}

const MP_T = Buffer.from('"mpT":');
const MP_BID = Buffer.from('"mpBid":');
const SENT_AT = Buffer.from('"sentAt":');
const ID = Buffer.from('"id":');

/**
 * The JSON number right after `key` (e.g. `"mpT":`) in a message, or null. Works on the bytes: a fan-out
 * delivers ~100k messages/s and neither a string copy nor JSON.parse of each is affordable.
 */
export function numberAfter(bytes: Buffer, key: Buffer): number | null {
  const at = bytes.indexOf(key);
  if (at === -1) return null;
  let i = at + key.length;
  while (bytes[i] === 32) i++;
  const negative = bytes[i] === 45; // '-'
  if (negative) i++;
  let digits = 0;
  let value = 0;
  let scale = 1;
  let fraction = false;
  for (; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      if (fraction) scale *= 10;
      digits++;
    } else if (c === 46 && !fraction) fraction = true;
    else if (c === 101 || c === 69)
      digits = 99; // an exponent: rare, leave it to parseFloat
    else break;
  }
  if (digits === 0) return null;
  // Beyond 15 digits the running integer loses precision: let parseFloat read it exactly.
  if (digits > 15) return parseFloat(bytes.toString('latin1', at + key.length, at + key.length + 40));
  return (negative ? -value : value) / scale;
}

/** The value of the first `"id"` field (string or number) of a message, or null. */
export function idOf(bytes: Buffer): string | null {
  const at = bytes.indexOf(ID);
  if (at === -1) return null;
  let from = at + ID.length;
  while (bytes[from] === 32) from++;
  if (bytes[from] === 34) {
    const end = bytes.indexOf(34, from + 1);
    return end === -1 ? null : bytes.toString('latin1', from + 1, end);
  }
  let end = from;
  const numeric = (b: number): boolean => (b >= 48 && b <= 57) || b === 45 || b === 46; // 0-9 - .
  while (end < bytes.length && numeric(bytes[end]!)) end++;
  return end > from ? bytes.toString('latin1', from, end) : null;
}

/** `ECONNREFUSED`, `http 400`, `timeout`... from a ws client error. */
export function wsErrorType(error: Error & { code?: string }): string {
  if (typeof error.code === 'string' && /^E[A-Z]+$/.test(error.code)) return error.code;
  const status = /Unexpected server response: (\d+)/.exec(error.message);
  if (status) return `http ${status[1]}`;
  if (/timed out/i.test(error.message)) return 'timeout';
  return 'ws error';
}

export class WsLoad {
  readonly lag = new LatencyHistogram();
  readonly notes: string[] = [];
  readonly #plan: GeneratorPlan;
  readonly #control: RunControl;
  readonly #meter: Meter;
  readonly #sockets = new Set<WebSocket>();
  readonly #closing = new WeakSet<WebSocket>();
  readonly #pending = new Map<string, Broadcast>();
  readonly #connect = new LatencyHistogram();
  readonly #connectErrors = new Map<string, number>();
  readonly #messages = new LatencyHistogram();
  readonly #lastClient = new LatencyHistogram();
  readonly #trigger = new LatencyHistogram();
  readonly #triggerErrors = new Map<string, number>();
  #attempted = 0;
  #connectWallMs = 0;
  #received = 0;
  #broadcasts = 0;
  #incomplete = 0;
  #lost = 0;
  #unexpectedCloses = 0;
  #triggersSent = 0;
  #triggersOk = 0;
  /** Triggered: first measured broadcast number. Passive: receipt window (performance.now()). */
  #firstMeasuredBid = Number.POSITIVE_INFINITY;
  #windowFrom = Number.POSITIVE_INFINITY;
  #windowTo = Number.POSITIVE_INFINITY;
  #measuredMs = 0;

  constructor(plan: GeneratorPlan, control: RunControl, meter: Meter) {
    this.#plan = plan;
    this.#control = control;
    this.#meter = meter;
  }

  /** Messages received and broadcast copies lost so far. */
  progress(): { done: number; errors: number } {
    return { done: this.#received, errors: this.#lost };
  }

  async run(): Promise<WireWs> {
    const sweep = setInterval(() => this.#sweep(), TIMEOUT_SWEEP_MS);
    try {
      await this.#connectAll();
      if (this.#sockets.size === 0) this.notes.push('no WebSocket client could connect: nothing to measure');
      else if (this.#plan.broadcastPath !== null && this.#plan.origin !== null) {
        await this.#triggered(this.#plan.origin, this.#plan.broadcastPath);
      } else await this.#passive();
      this.#meter.stop();
      await this.#drain();
    } finally {
      clearInterval(sweep);
      for (const ws of this.#sockets) {
        this.#closing.add(ws);
        ws.terminate();
      }
    }
    return this.#wire();
  }

  #url(i: number): string {
    const user = `${this.#plan.runId}w${i + 1}`;
    return (this.#plan.wsUrl ?? '').replaceAll('{user}', encodeURIComponent(user)).replaceAll('{i}', String(i + 1));
  }

  async #connectAll(): Promise<void> {
    const { connections, timeoutMs } = this.#plan;
    this.#control.phase('connect', 0, `${connections} clients`);
    const started = performance.now();
    const deadline = started + Math.max(SETUP_LIMIT_MS, 2 * timeoutMs);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < connections && !this.#control.stopped && performance.now() < deadline) {
        await this.#connectOne(next++, timeoutMs);
      }
    };
    await Promise.all(Array.from({ length: Math.min(connections, WS_CONNECT_CONCURRENCY) }, worker));
    this.#attempted = next;
    this.#connectWallMs = performance.now() - started;
    if (next < connections && !this.#control.stopped) {
      this.notes.push(`opened only ${next} of ${connections} connections within the time limit`);
    }
  }

  #connectOne(i: number, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const began = performance.now();
      let settled = false;
      // No UTF-8 validation: only timestamps are read, and validating every message costs fan-out throughput.
      const options = { perMessageDeflate: false, handshakeTimeout: timeoutMs, skipUTF8Validation: true };
      const ws = new WebSocket(this.#url(i), options);
      ws.on('message', (data: RawData) => this.#onMessage(data));
      ws.on('error', (error) => {
        if (settled) return;
        settled = true;
        addError(this.#connectErrors, wsErrorType(error));
        resolve();
      });
      ws.once('open', () => {
        settled = true;
        this.#connect.recordMs(performance.now() - began);
        this.#sockets.add(ws);
        resolve();
      });
      ws.once('close', () => {
        if (!settled) {
          settled = true;
          addError(this.#connectErrors, 'closed');
          resolve();
        }
        if (!this.#sockets.delete(ws) || this.#closing.has(ws)) return;
        this.#unexpectedCloses++;
        for (const [key, broadcast] of this.#pending) this.#check(key, broadcast);
      });
    });
  }

  #onMessage(data: RawData): void {
    const local = performance.now();
    const now = performance.timeOrigin + local;
    const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    let t: number | null;
    let key: string | null;
    if (this.#plan.broadcastPath !== null) {
      // Triggered by us: the stamp we put in `data`.
      t = numberAfter(bytes, MP_T);
      const bid = t === null ? null : numberAfter(bytes, MP_BID);
      if (t === null || bid === null || bid < this.#firstMeasuredBid) return; // not ours, or a warm-up broadcast
      key = String(bid);
    } else {
      t = numberAfter(bytes, SENT_AT);
      if (t === null || local < this.#windowFrom || local > this.#windowTo) return;
      key = idOf(bytes);
    }
    this.#received++;
    this.#messages.recordMs(now - t);
    if (key === null) return;
    let broadcast = this.#pending.get(key);
    if (broadcast === undefined) {
      if (this.#plan.broadcastPath !== null) return; // already complete or expired
      this.#pending.set(key, (broadcast = { t, since: local, received: 0, last: now }));
    }
    broadcast.received++;
    broadcast.last = now;
    this.#check(key, broadcast);
  }

  /** A broadcast is complete once every open client has it. */
  #check(key: string, broadcast: Broadcast): void {
    if (broadcast.received < this.#sockets.size) return;
    this.#pending.delete(key);
    this.#broadcasts++;
    this.#lastClient.recordMs(broadcast.last - broadcast.t);
  }

  #sweep(): void {
    const limit = performance.now() - this.#plan.timeoutMs;
    for (const [key, broadcast] of this.#pending) {
      if (broadcast.since > limit) continue;
      this.#pending.delete(key);
      this.#incomplete++;
      this.#lost += Math.max(0, this.#sockets.size - broadcast.received);
    }
  }

  async #triggered(origin: string, path: string): Promise<void> {
    const { rate, warmupMs, stepMs, timeoutMs } = this.#plan;
    const target = poolTarget(origin);
    const pool = new HttpPool(target, WS_TRIGGER_CONNECTIONS, timeoutMs, (request, status, error, _body, now) => {
      const { bid, measured } = request.tag as { bid: number; measured: boolean };
      const failure = errorType(status, error);
      if (failure === CANCELLED || !measured) return;
      if (failure !== null) {
        addError(this.#triggerErrors, failure);
        const broadcast = this.#pending.get(String(bid));
        if (broadcast !== undefined && broadcast.received === 0) this.#pending.delete(String(bid));
      } else {
        this.#triggersOk++;
        this.#trigger.recordMs(now - request.intended);
      }
      schedule.poke();
    });
    const sweep = setInterval(() => pool.sweep(performance.now()), TIMEOUT_SWEEP_MS);
    const warm = scheduledCount(rate, warmupMs);
    this.#firstMeasuredBid = warm;
    const schedule = new OpenSchedule(
      rate,
      warm + scheduledCount(rate, stepMs),
      (k, intended, now) => {
        const measured = k >= warm;
        if (k === warm) this.#startWindow();
        const t = performance.timeOrigin + intended;
        if (measured) {
          this.lag.recordMs(now - intended);
          this.#triggersSent++;
          this.#pending.set(String(k), { t, since: performance.now(), received: 0, last: t });
        }
        const body = JSON.stringify({ title: 'memprobe load', body: `broadcast ${k}`, data: { mpBid: k, mpT: t } });
        const head =
          `POST ${path} HTTP/1.1\r\nHost: ${target.hostHeader}\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
        const bytes = Buffer.from(`${head}${body}`);
        pool.submit({ bytes, isHead: false, keepBody: false, intended, sentAt: intended, tag: { bid: k, measured } });
      },
      this.#control,
    );
    if (warm > 0) this.#control.phase('warmup', 0, `${rate} broadcasts/s`);
    await schedule.run();
    this.#meter.stop();
    const ran = (): number => Math.min(stepMs, Math.max(0, performance.now() - schedule.at(warm)));
    this.#measuredMs = this.#control.stopped ? ran() : stepMs;
    // Triggers still out get the timeout to finish.
    const deadline = performance.now() + (this.#control.stopped ? 1000 : timeoutMs);
    while (pool.pending > 0 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    clearInterval(sweep);
    pool.close(CANCELLED);
  }

  #startWindow(): void {
    this.#meter.start();
    this.#control.phase('step', 0, `${this.#sockets.size} clients`);
  }

  async #passive(): Promise<void> {
    const { warmupMs, stepMs } = this.#plan;
    if (warmupMs > 0) {
      this.#control.phase('warmup', 0, 'listening');
      await this.#control.sleep(warmupMs);
    }
    this.#windowFrom = performance.now();
    this.#startWindow();
    await this.#control.sleep(stepMs);
    this.#meter.stop();
    this.#windowTo = performance.now();
    this.#measuredMs = this.#windowTo - this.#windowFrom;
  }

  /** Broadcasts still arriving get until their timeout. */
  async #drain(): Promise<void> {
    this.#control.phase('drain');
    const deadline = performance.now() + (this.#control.stopped ? 1000 : this.#plan.timeoutMs + 4 * TIMEOUT_SWEEP_MS);
    while (this.#pending.size > 0 && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    for (const broadcast of this.#pending.values()) {
      this.#incomplete++;
      this.#lost += Math.max(0, this.#sockets.size - broadcast.received);
    }
    this.#pending.clear();
  }

  #wire(): WireWs {
    const trigger =
      this.#plan.broadcastPath !== null
        ? {
            sent: this.#triggersSent,
            ok: this.#triggersOk,
            histogram: this.#trigger.encode(),
            errors: Object.fromEntries(this.#triggerErrors),
          }
        : null;
    return {
      attempted: this.#attempted,
      ok: this.#connect.count,
      connectHistogram: this.#connect.encode(),
      connectWallMs: this.#connectWallMs,
      connectErrors: Object.fromEntries(this.#connectErrors),
      received: this.#received,
      measuredMs: this.#measuredMs,
      messageHistogram: this.#messages.encode(),
      lastClientHistogram: this.#lastClient.encode(),
      broadcasts: this.#broadcasts,
      incomplete: this.#incomplete,
      lost: this.#lost,
      unexpectedCloses: this.#unexpectedCloses,
      trigger,
    };
  }
}
