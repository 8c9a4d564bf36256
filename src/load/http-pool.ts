/**
 * The generator's HTTP/1.1 client: a bounded pool of keep-alive sockets with a FIFO of requests waiting
 * for one. The bound is the point: when the server stalls, intended sends wait here, and because latency
 * is measured from the intended time, that wait is counted instead of silently delaying the schedule.
 *
 * Every request ends exactly once through `onDone`: a status, or an error type (ECONNREFUSED, ECONNRESET,
 * timeout, parse, closed...). A request older than the timeout, counted from its intended time, ends as
 * `timeout` whether it was waiting for a socket or for its response.
 */
import { connect, type Socket } from 'node:net';
import { MAX_CAPTURE_BODY_BYTES, MAX_HEAD_BYTES, MAX_WAITING_REQUESTS, QUEUE_FULL_ERROR } from './defaults.js';
import { ResponseParseError, ResponseParser } from './response-parser.js';

export interface PendingRequest {
  readonly bytes: Buffer;
  readonly isHead: boolean;
  readonly keepBody: boolean;
  /** When it should have been sent (performance.now() ms): latency counts from here. */
  readonly intended: number;
  /** When it was written to a socket (set by the pool); response time counts from here. */
  sentAt: number;
  /** Whatever the caller needs back in onDone (operation, user, step). */
  readonly tag: unknown;
}

/** status > 0 and error null: a response; status 0: a transport error, named by `error`. */
export type DoneCallback = (
  request: PendingRequest,
  status: number,
  error: string | null,
  body: Buffer | null,
  now: number,
) => void;

/** A FIFO without Array#shift's O(n) copies. */
export class Fifo<T> {
  #items: (T | undefined)[] = [];
  #head = 0;

  get length(): number {
    return this.#items.length - this.#head;
  }

  push(item: T): void {
    this.#items.push(item);
  }

  peek(): T | undefined {
    return this.#items[this.#head];
  }

  shift(): T | undefined {
    if (this.#head >= this.#items.length) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head++] = undefined;
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }
}

class Connection {
  readonly socket: Socket;
  readonly parser = new ResponseParser(MAX_HEAD_BYTES, MAX_CAPTURE_BODY_BYTES);
  request: PendingRequest | null = null;
  errorCode: string | null = null;
  closed = false;

  constructor(host: string, port: number) {
    this.socket = connect({ host, port, noDelay: true });
  }

  send(request: PendingRequest): void {
    this.request = request;
    this.parser.start(request.isHead, request.keepBody);
    this.socket.write(request.bytes);
  }
}

export interface PoolTarget {
  readonly host: string;
  readonly port: number;
}

export class HttpPool {
  readonly #target: PoolTarget;
  readonly #max: number;
  readonly #timeoutMs: number;
  readonly #onDone: DoneCallback;
  /** Idle sockets are taken oldest first (in turn) rather than newest first. */
  #rotate = false;
  readonly #all = new Set<Connection>();
  readonly #idle: Connection[] = [];
  readonly #queue = new Fifo<PendingRequest>();
  #busy = 0;
  /** Since the last reset: most sockets open at once, requests that had to wait for one, the longest wait line. */
  maxOpen = 0;
  waited = 0;
  maxWaiting = 0;

  constructor(target: PoolTarget, maxConnections: number, timeoutMs: number, onDone: DoneCallback) {
    this.#target = target;
    this.#max = maxConnections;
    this.#timeoutMs = timeoutMs;
    this.#onDone = onDone;
  }

  /** Requests waiting for a socket or for their response. */
  get pending(): number {
    return this.#busy + this.#queue.length;
  }

  get open(): number {
    return this.#all.size;
  }

  /**
   * Opens every socket now and from then on uses idle ones in turn, so none sits idle long enough for the
   * server's keep-alive timeout to close it: the target sees a constant number of connections.
   */
  openAll(): void {
    this.#rotate = true;
    while (this.#all.size < this.#max) this.#idle.push(this.#open());
  }

  submit(request: PendingRequest): void {
    const idle = this.#rotate ? this.#idle.shift() : this.#idle.pop();
    if (idle !== undefined) this.#dispatch(idle, request);
    else if (this.#all.size < this.#max) this.#dispatch(this.#open(), request);
    else if (this.#queue.length >= MAX_WAITING_REQUESTS) {
      // Memory stays bounded whatever the rate: beyond this the run is hopeless and flagged anyway.
      this.#onDone(request, 0, QUEUE_FULL_ERROR, null, performance.now());
    } else {
      this.#queue.push(request);
      this.waited++;
      if (this.#queue.length > this.maxWaiting) this.maxWaiting = this.#queue.length;
    }
  }

  /** Ends requests older than the timeout (from their intended time); call every few tens of ms. */
  sweep(now: number): void {
    const limit = now - this.#timeoutMs;
    while ((this.#queue.peek()?.intended ?? Infinity) <= limit) {
      this.#onDone(this.#queue.shift()!, 0, 'timeout', null, now);
    }
    for (const connection of this.#all) {
      const request = connection.request;
      if (request !== null && request.intended <= limit) {
        this.#complete(connection, 0, 'timeout', null, now);
        this.#discard(connection);
      }
    }
  }

  /** Ends everything still pending with `reason` and closes every socket. */
  close(reason: string): void {
    const now = performance.now();
    for (let request = this.#queue.shift(); request !== undefined; request = this.#queue.shift()) {
      this.#onDone(request, 0, reason, null, now);
    }
    for (const connection of [...this.#all]) {
      if (connection.request !== null) this.#complete(connection, 0, reason, null, now);
      this.#discard(connection);
    }
  }

  /** Closes the sockets no request is using (e.g. the setup's, before the measured users start). */
  closeIdle(): void {
    for (const connection of this.#idle.splice(0)) this.#discard(connection);
  }

  resetCounters(): void {
    this.maxOpen = this.#all.size;
    this.waited = 0;
    this.maxWaiting = this.#queue.length;
  }

  #open(): Connection {
    const connection = new Connection(this.#target.host, this.#target.port);
    const { socket } = connection;
    this.#all.add(connection);
    if (this.#all.size > this.maxOpen) this.maxOpen = this.#all.size;
    socket.on('data', (chunk: Buffer) => this.#onData(connection, chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      connection.errorCode ??= error.code ?? 'socket error';
    });
    socket.on('close', () => this.#onClose(connection));
    return connection;
  }

  #dispatch(connection: Connection, request: PendingRequest): void {
    this.#busy++;
    request.sentAt = performance.now();
    connection.send(request);
  }

  #complete(connection: Connection, status: number, error: string | null, body: Buffer | null, now: number): void {
    const request = connection.request;
    if (request === null) return;
    connection.request = null;
    this.#busy--;
    this.#onDone(request, status, error, body, now);
  }

  #onData(connection: Connection, chunk: Buffer): void {
    if (connection.closed) return;
    let response;
    try {
      response = connection.parser.push(chunk);
    } catch (error) {
      const kind = error instanceof ResponseParseError ? 'parse' : 'client error';
      this.#complete(connection, 0, kind, null, performance.now());
      this.#discard(connection);
      return;
    }
    if (response === null) return;
    // The socket is free before the caller hears of the response: a closed-model user sending its next
    // request from onDone reuses it instead of opening another one.
    const request = connection.request!;
    connection.request = null;
    this.#busy--;
    if (!response.keepAlive) this.#discard(connection);
    else this.#release(connection);
    this.#onDone(request, response.status, null, response.body, performance.now());
  }

  /** A free socket takes the oldest waiting request, or waits for the next submit. */
  #release(connection: Connection): void {
    if (connection.closed) return;
    const next = this.#queue.shift();
    if (next !== undefined) this.#dispatch(connection, next);
    else this.#idle.push(connection);
  }

  #onClose(connection: Connection): void {
    if (connection.closed) return; // discarded on purpose; already accounted for
    if (connection.request !== null) {
      const response = connection.parser.end();
      const now = performance.now();
      if (response !== null) this.#complete(connection, response.status, null, response.body, now);
      else this.#complete(connection, 0, connection.errorCode ?? 'closed', null, now);
    }
    this.#forget(connection);
  }

  #discard(connection: Connection): void {
    connection.socket.destroy();
    this.#forget(connection);
  }

  /** Drops a closed socket; a request waiting for one gets a new socket in its place. */
  #forget(connection: Connection): void {
    if (connection.closed) return;
    connection.closed = true;
    this.#all.delete(connection);
    const at = this.#idle.indexOf(connection);
    if (at !== -1) this.#idle.splice(at, 1);
    const next = this.#all.size < this.#max ? this.#queue.shift() : undefined;
    if (next !== undefined) this.#dispatch(this.#open(), next);
  }
}
