/**
 * An incremental HTTP/1.1 response parser for the load generator's keep-alive client, pure (bytes in,
 * responses out). It reads the status, the framing headers (Content-Length, Transfer-Encoding: chunked,
 * Connection) and, only when a scenario captures values, the body. node:http's client with a keep-alive
 * Agent cost 73-87 us of CPU per request on this machine against 19-22 us for raw sockets (autocannon:
 * 25-38 us): with it the generator, not the server, would have been the bottleneck.
 */

export interface ParsedResponse {
  readonly status: number;
  /** The connection can carry another request. */
  readonly keepAlive: boolean;
  /** The body, when asked for and not larger than the cap; otherwise null. */
  readonly body: Buffer | null;
}

/** The server sent something that is not an HTTP/1.x response. */
export class ResponseParseError extends Error {
  override readonly name = 'ResponseParseError';
}

const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');

const enum State {
  Idle,
  Head,
  Length,
  ChunkSize,
  ChunkData,
  ChunkDataEnd,
  Trailers,
  UntilClose,
}

interface Head {
  status: number;
  keepAlive: boolean;
  /** -1: chunked; -2: until close; otherwise the body length. */
  length: number;
}

/** Reads the status line and the framing headers of one response head (without the blank line). */
export function parseHead(text: string, isHeadRequest: boolean): Head {
  if (!text.startsWith('HTTP/1.') || text.length < 12 || text.charCodeAt(8) !== 32) {
    throw new ResponseParseError(`not an HTTP/1.x response: ${JSON.stringify(text.slice(0, 40))}`);
  }
  const status = Number(text.slice(9, 12));
  if (!Number.isInteger(status) || status < 100 || status > 999) {
    throw new ResponseParseError(`bad status line: ${JSON.stringify(text.split('\r\n', 1)[0])}`);
  }
  const lower = text.toLowerCase();
  const header = (name: string): string | null => {
    const at = lower.indexOf(`\r\n${name}:`);
    if (at === -1) return null;
    const from = at + name.length + 3;
    const to = lower.indexOf('\r\n', from);
    return lower.slice(from, to === -1 ? undefined : to).trim();
  };
  const connection = header('connection');
  const http10 = text.charCodeAt(7) === 48; // 'HTTP/1.0'
  const keepAlive = http10
    ? connection !== null && connection.includes('keep-alive')
    : !(connection !== null && connection.includes('close'));
  if (isHeadRequest || status === 204 || status === 304 || (status >= 100 && status < 200)) {
    return { status, keepAlive, length: 0 };
  }
  const encoding = header('transfer-encoding');
  if (encoding !== null && encoding.includes('chunked')) return { status, keepAlive, length: -1 };
  const length = header('content-length');
  if (length !== null) {
    const value = Number(length);
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new ResponseParseError(`bad content-length: ${JSON.stringify(length)}`);
    }
    return { status, keepAlive, length: value };
  }
  return { status, keepAlive: false, length: -2 };
}

export class ResponseParser {
  #state = State.Idle;
  #pending: Buffer | null = null;
  #head: Head = { status: 0, keepAlive: true, length: 0 };
  #remaining = 0;
  #isHeadRequest = false;
  #keepBody = false;
  #body: Buffer[] = [];
  #bodyBytes = 0;
  readonly #maxHeadBytes: number;
  readonly #maxBodyBytes: number;

  constructor(maxHeadBytes: number, maxBodyBytes: number) {
    this.#maxHeadBytes = maxHeadBytes;
    this.#maxBodyBytes = maxBodyBytes;
  }

  /** Prepares for the response to the request just sent. */
  start(isHeadRequest: boolean, keepBody: boolean): void {
    this.#state = State.Head;
    this.#pending = null;
    this.#isHeadRequest = isHeadRequest;
    this.#keepBody = keepBody;
    this.#body = [];
    this.#bodyBytes = 0;
  }

  /** True while a response is expected and not complete. */
  get busy(): boolean {
    return this.#state !== State.Idle;
  }

  /**
   * Feeds bytes from the socket. Returns the response once complete (bytes after it make it not
   * keep-alive: one request is outstanding at a time), or null when more bytes are needed.
   * @throws ResponseParseError on malformed input, or bytes arriving when no response is expected.
   */
  push(chunk: Buffer): ParsedResponse | null {
    if (this.#state === State.Idle) {
      if (chunk.length === 0) return null;
      throw new ResponseParseError('the server sent bytes while no request was outstanding');
    }
    const buf = this.#pending === null ? chunk : Buffer.concat([this.#pending, chunk]);
    this.#pending = null;
    let pos = 0;
    for (;;) {
      switch (this.#state) {
        case State.Head: {
          const end = buf.indexOf(HEAD_END, pos);
          if (end === -1) {
            if (buf.length - pos > this.#maxHeadBytes) {
              throw new ResponseParseError(`response head larger than ${this.#maxHeadBytes} bytes`);
            }
            this.#pending = buf.subarray(pos);
            return null;
          }
          const head = parseHead(buf.toString('latin1', pos, end), this.#isHeadRequest);
          pos = end + 4;
          if (head.status >= 100 && head.status < 200) {
            if (head.status === 101) throw new ResponseParseError('the server switched protocols (101)');
            continue; // 100 Continue and friends: the real response follows
          }
          this.#head = head;
          if (head.length === 0) return this.#finish(buf.length - pos);
          if (head.length === -1) this.#state = State.ChunkSize;
          else if (head.length === -2) this.#state = State.UntilClose;
          else {
            this.#state = State.Length;
            this.#remaining = head.length;
          }
          break;
        }
        case State.Length:
        case State.ChunkData: {
          const take = Math.min(this.#remaining, buf.length - pos);
          this.#keep(buf, pos, pos + take);
          pos += take;
          this.#remaining -= take;
          if (this.#remaining > 0) return null;
          if (this.#state === State.Length) return this.#finish(buf.length - pos);
          this.#state = State.ChunkDataEnd;
          this.#remaining = 2;
          break;
        }
        case State.ChunkDataEnd: {
          const take = Math.min(this.#remaining, buf.length - pos);
          pos += take;
          this.#remaining -= take;
          if (this.#remaining > 0) return null;
          this.#state = State.ChunkSize;
          break;
        }
        case State.ChunkSize:
        case State.Trailers: {
          const eol = buf.indexOf(CRLF, pos);
          if (eol === -1) {
            if (buf.length - pos > this.#maxHeadBytes) throw new ResponseParseError('chunk header line too long');
            this.#pending = buf.subarray(pos);
            return null;
          }
          const line = buf.toString('latin1', pos, eol);
          pos = eol + 2;
          if (this.#state === State.Trailers) {
            if (line === '') return this.#finish(buf.length - pos);
            break;
          }
          const semicolon = line.indexOf(';');
          const hex = (semicolon === -1 ? line : line.slice(0, semicolon)).trim();
          const size = /^[0-9a-fA-F]{1,12}$/.test(hex) ? parseInt(hex, 16) : NaN;
          if (Number.isNaN(size)) throw new ResponseParseError(`bad chunk size: ${JSON.stringify(line.slice(0, 20))}`);
          if (size === 0) this.#state = State.Trailers;
          else {
            this.#state = State.ChunkData;
            this.#remaining = size;
          }
          break;
        }
        case State.UntilClose:
          this.#keep(buf, pos, buf.length);
          return null;
      }
      if (pos >= buf.length) return null;
    }
  }

  /** The socket ended. Completes a body delimited by the close; null when a response was cut short. */
  end(): ParsedResponse | null {
    if (this.#state !== State.UntilClose) return null;
    return this.#finish(0);
  }

  #keep(buf: Buffer, from: number, to: number): void {
    if (!this.#keepBody || to <= from) return;
    this.#bodyBytes += to - from;
    if (this.#bodyBytes > this.#maxBodyBytes) {
      this.#keepBody = false;
      this.#body = [];
      return;
    }
    this.#body.push(buf.subarray(from, to));
  }

  #finish(leftover: number): ParsedResponse {
    this.#state = State.Idle;
    this.#pending = null;
    const body = this.#keepBody ? Buffer.concat(this.#body) : null;
    this.#body = [];
    return { status: this.#head.status, keepAlive: this.#head.keepAlive && leftover === 0, body };
  }
}
