/**
 * The messages between memprobe and the traffic-driver process (driver-child.ts), one contract for both sides.
 */
export type ToDriver =
  { readonly type: 'drive'; readonly file: string; readonly port: number } | { readonly type: 'stop' };

export type FromDriver =
  /** The driver returned; `requests` is what it counted, when it did. */
  { readonly type: 'done'; readonly requests: number | null } | { readonly type: 'error'; readonly message: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

export function isToDriver(value: unknown): value is ToDriver {
  if (!isRecord(value)) return false;
  const drive = value.type === 'drive' && typeof value.file === 'string' && typeof value.port === 'number';
  return drive || value.type === 'stop';
}

/** The supervisor's guard for the driver's channel: a FromDriver message, or null. */
export function fromDriver(value: unknown): FromDriver | null {
  if (!isRecord(value)) return null;
  if (value.type === 'done') {
    return value.requests === null || typeof value.requests === 'number' ? (value as FromDriver) : null;
  }
  return value.type === 'error' && typeof value.message === 'string' ? (value as FromDriver) : null;
}
