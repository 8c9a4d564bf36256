/**
 * Turns scenario operations into request bytes. Templates are split once into static text and variable
 * slots; an operation without variables is serialized once and its Buffer reused for every request.
 */
import type { OperationSpec } from './plan-types.js';

/** What a template can refer to while one request is built. */
export interface RequestContext {
  /** 1-based scenario user. */
  user: number;
  /** Request number of the run. */
  i: number;
  /** A random integer. */
  rand: number;
}

type Part = string | { readonly variable: string };

function split(text: string): Part[] {
  const parts: Part[] = [];
  let last = 0;
  for (const match of text.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) {
    if (match.index > last) parts.push(text.slice(last, match.index));
    parts.push({ variable: match[1]! });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

/** Values captured from responses, per variable and user. */
export class CaptureStore {
  readonly #values = new Map<string, Map<number, string>>();

  set(variable: string, user: number, value: string): void {
    let perUser = this.#values.get(variable);
    if (perUser === undefined) this.#values.set(variable, (perUser = new Map()));
    perUser.set(user, value);
  }

  get(variable: string, user: number): string | undefined {
    return this.#values.get(variable)?.get(user);
  }
}

export class CompiledOperation {
  readonly name: string;
  readonly isHead: boolean;
  /** [variable, top-level JSON field] pairs read from a successful response. */
  readonly captures: ReadonlyArray<readonly [string, string]>;
  readonly #parts: Part[];
  readonly #bodyParts: Part[];
  readonly #static: Buffer | null;

  constructor(
    op: OperationSpec,
    host: string,
    private readonly userId: (user: number) => string,
  ) {
    this.name = op.name;
    this.isHead = op.method === 'HEAD';
    this.captures = Object.entries(op.capture);
    const headerLines = Object.entries(op.headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('');
    const hasType = Object.keys(op.headers).some((k) => k.toLowerCase() === 'content-type');
    const head = `${op.method} ${op.path} HTTP/1.1\r\nHost: ${host}\r\n${headerLines}`;
    const parts = split(head);
    if (op.body !== null) {
      parts.push(hasType ? '' : 'Content-Type: application/json\r\n');
      // Content-Length depends on the filled body: built per request unless the body is static.
      parts.push({ variable: '\0body' });
    } else if (op.method === 'POST' || op.method === 'PUT' || op.method === 'PATCH') {
      parts.push('Content-Length: 0\r\n\r\n');
    } else parts.push('\r\n');
    this.#parts = parts;
    this.#bodyParts = op.body === null ? [] : split(op.body);
    const dynamic =
      parts.some((p) => typeof p !== 'string' && p.variable !== '\0body') ||
      this.#bodyParts.some((p) => typeof p !== 'string');
    this.#static = dynamic ? null : this.#render({ user: 1, i: 0, rand: 0 }, new CaptureStore());
  }

  /** The bytes of one request. */
  build(context: RequestContext, captured: CaptureStore): Buffer {
    return this.#static ?? this.#render(context, captured);
  }

  #fill(parts: Part[], context: RequestContext, captured: CaptureStore): string {
    let out = '';
    for (const part of parts) {
      if (typeof part === 'string') out += part;
      else if (part.variable === 'user') out += this.userId(context.user);
      else if (part.variable === 'i') out += context.i;
      else if (part.variable === 'rand') out += context.rand;
      else out += captured.get(part.variable, context.user) ?? '';
    }
    return out;
  }

  #render(context: RequestContext, captured: CaptureStore): Buffer {
    const body = this.#bodyParts.length > 0 ? this.#fill(this.#bodyParts, context, captured) : null;
    let text = '';
    for (const part of this.#parts) {
      if (typeof part !== 'string' && part.variable === '\0body') {
        text += `Content-Length: ${Buffer.byteLength(body ?? '')}\r\n\r\n${body ?? ''}`;
      } else text += this.#fill([part], context, captured);
    }
    return Buffer.from(text);
  }

  /** Reads the captured fields of a JSON response body (top-level fields only). */
  capture(body: Buffer | null, user: number, captured: CaptureStore): void {
    if (body === null || this.captures.length === 0) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return;
    }
    if (typeof parsed !== 'object' || parsed === null) return;
    for (const [variable, field] of this.captures) {
      const value = (parsed as Record<string, unknown>)[field];
      if (typeof value === 'string' || typeof value === 'number') captured.set(variable, user, String(value));
    }
  }
}
