/**
 * The IPC messages between the ws-fanout probe (in the measured child) and its WebSocket client process.
 * The clients live in their own process so their memory and CPU stay out of the server's measurement.
 */

/** Probe -> client process. Every request carries an `id` its reply repeats. */
export type ToClients =
  | {
      readonly type: 'connect';
      readonly id: number;
      /** `ws://127.0.0.1:PORT/ws` */
      readonly url: string;
      readonly userIds: readonly string[];
      /** Handshakes in flight at once. */
      readonly concurrency: number;
      readonly timeoutMs: number;
    }
  /** Close this many open sockets (oldest first) and wait for their close. */
  | { readonly type: 'disconnect'; readonly id: number; readonly count: number; readonly timeoutMs: number }
  | { readonly type: 'stats'; readonly id: number }
  /** Close every socket and exit. */
  | { readonly type: 'shutdown'; readonly id: number };

export interface ConnectReply {
  readonly type: 'connected';
  readonly id: number;
  readonly ok: number;
  readonly failed: number;
  /** Handshake time of each successful connection, ms. */
  readonly connectMs: readonly number[];
  readonly firstError: string | null;
  /** Open sockets after this request. */
  readonly open: number;
}

export interface DisconnectReply {
  readonly type: 'disconnected';
  readonly id: number;
  /** Users whose socket was closed, to reconnect later. */
  readonly userIds: readonly string[];
  readonly open: number;
}

export interface StatsReply {
  readonly type: 'stats';
  readonly id: number;
  /** Live broadcast messages received, all sockets. */
  readonly messages: number;
  /** Offline-queue messages flushed on reconnect (and acked). */
  readonly flushed: number;
  /** Send-to-receive latency of every live message, ms. */
  readonly latencyMeanMs: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly latencyMaxMs: number;
  readonly open: number;
  /** Sockets the server closed without being asked (e.g. as slow consumers). */
  readonly unexpectedCloses: number;
}

/** Sent unasked once every open socket received broadcast `bid`, or when the delivery timeout ran out. */
export interface DeliveredReport {
  readonly type: 'delivered';
  readonly bid: number;
  readonly received: number;
  /** Open sockets when the report was made. */
  readonly expected: number;
  /** Send to the last socket's receipt, ms. */
  readonly lastMs: number;
  readonly complete: boolean;
}

export type FromClients =
  | { readonly type: 'ready'; readonly pid: number }
  | ConnectReply
  | DisconnectReply
  | StatsReply
  | DeliveredReport
  | { readonly type: 'shutdown'; readonly id: number };

/**
 * What a broadcast carries in its `data`: its number and its send time as high-resolution epoch ms
 * (`performance.timeOrigin + performance.now()`), comparable across processes of one machine.
 */
export interface BroadcastStamp {
  readonly bid: number;
  readonly t: number;
}

/** High-resolution epoch milliseconds: the same clock in the probe and in the client process. */
export const epochMs = (): number => performance.timeOrigin + performance.now();
