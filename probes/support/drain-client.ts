/**
 * One reconnect of an offline user over a real WebSocket (127.0.0.1): connect, receive the flushed offline
 * queue, ack every message, close. Bounded by a timeout that names what was lost.
 */
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import type { RawData } from 'ws';

export interface DrainResult {
  /** Queued messages received and acked. */
  readonly received: number;
  /** From starting the connection to the last expected message. */
  readonly drainMs: number;
}

interface WireMessage {
  type?: unknown;
  id?: unknown;
  queued?: unknown;
}

/**
 * Connects as `userId`, acks each flushed (`queued: true`) message and closes after `expected` of them.
 * Acks go out before the close frame on the same stream, so the service has them all when it sees the close.
 */
export function drainQueue(wsUrl: string, userId: string, expected: number, timeoutMs: number): Promise<DrainResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let received = 0;
    let drainMs = 0;
    let failure: Error | undefined;
    const ws = new WebSocket(`${wsUrl}?userId=${encodeURIComponent(userId)}`, { perMessageDeflate: false });
    const timer = setTimeout(() => {
      failure ??= new Error(
        `user ${userId}: received ${received} of ${expected} queued messages within ${timeoutMs} ms`,
      );
      ws.terminate();
    }, timeoutMs);
    const finish = (): void => {
      if (received >= expected) return void ws.close(1000, 'drained');
    };
    ws.on('message', (data: RawData) => {
      if (received >= expected) return; // closing; anything more stays un-acked and goes back to the queue
      let message: WireMessage;
      try {
        message = JSON.parse(String(data)) as WireMessage;
      } catch {
        return;
      }
      if (message.type !== 'notification' || message.queued !== true || typeof message.id !== 'string') return;
      ws.send(JSON.stringify({ type: 'ack', id: message.id }));
      if (++received === expected) drainMs = performance.now() - started;
      finish();
    });
    ws.on('open', finish); // nothing to drain when expected is 0
    ws.on('error', (error) => {
      failure ??= new Error(
        `user ${userId}: WebSocket error after ${received} of ${expected} messages: ${error.message}`,
      );
    });
    ws.on('close', () => {
      clearTimeout(timer);
      if (failure === undefined && received >= expected) {
        resolve({ received, drainMs });
      } else {
        const closed = `user ${userId}: the socket closed after ${received} of ${expected} queued messages`;
        reject(failure ?? new Error(closed));
      }
    });
  });
}
