/**
 * A small Chrome DevTools Protocol client over the inspector's WebSocket (loopback only):
 * commands with ids and timeouts, and events by name.
 */
import { WebSocket } from 'ws';
import { MemprobeError } from '../errors.js';

export class InspectorError extends MemprobeError {
  constructor(message: string) {
    super('E_INSPECTOR', message);
    this.name = 'InspectorError';
  }
}

const LOOPBACK = /^ws:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?\//;

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void; timer: NodeJS.Timeout };

export class CdpClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<string, Set<(params: unknown) => void>>();
  private closedError: Error | null = null;
  private markClosed: () => void = () => undefined;
  /** Resolves when the connection is gone: closed by either side, or the program exited. */
  readonly closed = new Promise<void>((resolve) => (this.markClosed = resolve));

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => this.onMessage(data.toString()));
    socket.on('close', () => {
      this.failAll(new InspectorError('the inspector connection closed (did the program exit?)'));
      this.markClosed();
    });
    socket.on('error', (error) => this.failAll(new InspectorError(`inspector connection: ${error.message}`)));
  }

  /** Connects to an inspector WebSocket URL; refuses anything but loopback. */
  static async connect(url: string, timeoutMs = 5000): Promise<CdpClient> {
    if (!LOOPBACK.test(url)) throw new InspectorError(`refusing a non-loopback inspector address: ${url}`);
    const socket = new WebSocket(url, { maxPayload: 512 * 1024 * 1024, perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.terminate();
        reject(new InspectorError(`could not attach to the inspector at ${url} within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('open', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(new InspectorError(`could not attach to the inspector at ${url}: ${error.message}`));
      });
    });
    return new CdpClient(socket);
  }

  private onMessage(text: string): void {
    let message: { id?: number; method?: string; params?: unknown; result?: unknown; error?: { message: string } };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      return;
    }
    if (message.id !== undefined) {
      const pending = this.pending.get(message.id);
      if (!pending) return;
      this.pending.delete(message.id);
      clearTimeout(pending.timer);
      if (message.error) pending.reject(new InspectorError(message.error.message));
      else pending.resolve(message.result);
    } else if (message.method) {
      for (const listener of this.listeners.get(message.method) ?? []) listener(message.params);
    }
  }

  private failAll(error: Error): void {
    this.closedError ??= error;
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(error);
      this.pending.delete(id);
    }
  }

  /** Sends a command and resolves with its result. */
  send<T = unknown>(method: string, params: object = {}, timeoutMs = 60_000): Promise<T> {
    if (this.closedError) return Promise.reject(this.closedError);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new InspectorError(`${method} got no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  /** Listens to an event; returns a function that stops listening. */
  on(method: string, listener: (params: unknown) => void): () => void {
    const set = this.listeners.get(method) ?? new Set();
    set.add(listener);
    this.listeners.set(method, set);
    return () => set.delete(listener);
  }

  /**
   * Evaluates an expression in the program and returns its JSON value; an exception thrown there is an error
   * whose message starts with `what` and gives the exception's first line. `require` works in ES-module programs too
   * (the command-line API).
   */
  async evaluate<T>(expression: string, what = 'evaluating in the program'): Promise<T> {
    type Details = { text: string; exception?: { description?: string } };
    const result = await this.send<{ result: { value?: unknown }; exceptionDetails?: Details }>('Runtime.evaluate', {
      expression,
      returnByValue: true,
      includeCommandLineAPI: true,
    });
    const details = result.exceptionDetails;
    if (details)
      throw new InspectorError(`${what} failed: ${(details.exception?.description ?? details.text).split('\n')[0]}`);
    return result.result.value as T;
  }

  close(): void {
    this.failAll(new InspectorError('the inspector connection was closed'));
    this.socket.terminate();
  }
}
