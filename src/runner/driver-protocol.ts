/**
 * The messages between memprobe and the traffic-driver process (driver-child.ts), one contract for both sides.
 */
export type ToDriver =
  | { readonly type: 'drive'; readonly file: string; readonly port: number }
  | { readonly type: 'stop' };

export type FromDriver =
  /** The driver returned; `requests` is what it counted, when it did. */
  | { readonly type: 'done'; readonly requests: number | null }
  | { readonly type: 'error'; readonly message: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

export function isToDriver(value: unknown): value is ToDriver {
  if (!isRecord(value)) return false;
  return (value.type === 'drive' && typeof value.file === 'string' && typeof value.port === 'number') || value.type === 'stop';
}

export function isFromDriver(value: unknown): value is FromDriver {
  if (!isRecord(value)) return false;
  if (value.type === 'done') return value.requests === null || typeof value.requests === 'number';
  return value.type === 'error' && typeof value.message === 'string';
}
