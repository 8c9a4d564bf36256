/**
 * The probe's handle on its WebSocket client process (./fanout-client-process.js): fork, requests with
 * timeouts, delivery reports. The process is forked in the probe's process group (the engine kills the group)
 * and exits by itself when the probe goes away, so no client is ever left behind.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type {
  ConnectReply,
  DeliveredReport,
  DisconnectReply,
  FromClients,
  StatsReply,
  ToClients,
} from './fanout-protocol.js';
import { withTimeout } from './wait.js';

const SCRIPT = fileURLToPath(new URL('./fanout-client-process.js', import.meta.url));
const START_TIMEOUT_MS = 10_000;
const EXIT_TIMEOUT_MS = 3_000;

interface Waiter<T> {
  resolve(value: T): void;
  reject(error: Error): void;
}

type Request = ToClients extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export class FanoutClients {
  readonly #child: ChildProcess;
  readonly #requests = new Map<number, Waiter<FromClients>>();
  readonly #deliveries = new Map<number, Waiter<DeliveredReport>>();
  #nextId = 0;
  #exited: Error | undefined;
  readonly #exit: Promise<void>;

  private constructor(child: ChildProcess) {
    this.#child = child;
    this.#exit = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.#exited = new Error(`the WebSocket client process exited (${signal ?? `code ${code}`})`);
        for (const waiter of [...this.#requests.values(), ...this.#deliveries.values()]) waiter.reject(this.#exited);
        this.#requests.clear();
        this.#deliveries.clear();
        resolve();
      });
    });
    child.on('message', (raw: unknown) => this.#onMessage(raw as FromClients));
    child.on('error', () => {}); // 'exit' follows; a failed send shows there
  }

  /** Forks the client process and waits until it is ready. */
  static async start(deliveryTimeoutMs: number): Promise<FanoutClients> {
    const child = fork(SCRIPT, [String(deliveryTimeoutMs)], {
      execArgv: [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'json',
    });
    const clients = new FanoutClients(child);
    const ready = new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', () => reject(clients.#exited ?? new Error('the WebSocket client process exited at start')));
    });
    try {
      await withTimeout(ready, START_TIMEOUT_MS, () => 'the WebSocket client process did not start');
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
    return clients;
  }

  get pid(): number {
    return this.#child.pid ?? 0;
  }

  #onMessage(message: FromClients): void {
    if (message.type === 'delivered') {
      const waiter = this.#deliveries.get(message.bid);
      this.#deliveries.delete(message.bid);
      waiter?.resolve(message);
    } else if (message.type !== 'ready') {
      const waiter = this.#requests.get(message.id);
      this.#requests.delete(message.id);
      waiter?.resolve(message);
    }
  }

  #request<T extends FromClients>(body: Request, timeoutMs: number, what: string): Promise<T> {
    if (this.#exited) return Promise.reject(this.#exited);
    const id = ++this.#nextId;
    const reply = new Promise<T>((resolve, reject) => {
      this.#requests.set(id, { resolve: resolve as (value: FromClients) => void, reject });
    });
    this.#child.send({ ...body, id } as ToClients);
    return withTimeout(reply, timeoutMs, () => what).finally(() => this.#requests.delete(id));
  }

  /** Opens one socket per user id, `concurrency` handshakes at a time. */
  connect(url: string, userIds: readonly string[], concurrency: number, timeoutMs: number): Promise<ConnectReply> {
    const overall = timeoutMs * Math.ceil(userIds.length / Math.max(1, concurrency)) + timeoutMs;
    const what = `connecting ${userIds.length} WebSockets`;
    return this.#request({ type: 'connect', url, userIds, concurrency, timeoutMs }, overall, what);
  }

  /** Closes `count` open sockets, oldest first; resolves once they are closed. */
  disconnect(count: number, timeoutMs: number): Promise<DisconnectReply> {
    return this.#request({ type: 'disconnect', count, timeoutMs }, timeoutMs * 2, `closing ${count} WebSockets`);
  }

  stats(timeoutMs: number): Promise<StatsReply> {
    return this.#request({ type: 'stats' }, timeoutMs, 'client statistics');
  }

  /** Waits for the client process to report broadcast `bid`; register before broadcasting. */
  delivered(bid: number, timeoutMs: number): Promise<DeliveredReport> {
    if (this.#exited) return Promise.reject(this.#exited);
    const report = new Promise<DeliveredReport>((resolve, reject) => this.#deliveries.set(bid, { resolve, reject }));
    const late = (): string => `broadcast ${bid}: no delivery report from the WebSocket clients`;
    return withTimeout(report, timeoutMs, late).finally(() => this.#deliveries.delete(bid));
  }

  /** Closes every socket and ends the process (killing it if it does not leave in time). */
  async shutdown(): Promise<void> {
    if (this.#exited) return;
    try {
      await this.#request({ type: 'shutdown' }, EXIT_TIMEOUT_MS, 'client shutdown');
      await withTimeout(this.#exit, EXIT_TIMEOUT_MS, () => 'client exit');
    } catch {
      this.#child.kill('SIGKILL');
      await this.#exit;
    }
  }
}
