/**
 * How numbers are written for people: bytes in binary units (as the parsers in units.ts read them back),
 * durations, milliseconds and shares. Pure; every report and message formats through these.
 */

/** Formats bytes the way the parsers read them back (binary units). */
export function formatBytes(bytes: number, digits = 1): string {
  const sign = bytes < 0 ? '-' : '';
  const abs = Math.abs(bytes);
  if (abs < 1024) return `${sign}${abs.toFixed(abs < 10 && abs % 1 !== 0 ? 1 : 0)} B`;
  if (abs < 1024 ** 2) return `${sign}${(abs / 1024).toFixed(digits)} KB`;
  if (abs < 1024 ** 3) return `${sign}${(abs / 1024 ** 2).toFixed(digits)} MB`;
  return `${sign}${(abs / 1024 ** 3).toFixed(digits)} GB`;
}

/**
 * A whole number with thousands separators, as `toLocaleString('en-US')` writes it (`1,302,504`, `-1,234`), without
 * loading the locale data (~20 ms at a process's first call).
 */
export function formatCount(n: number): string {
  const digits = String(Math.round(n));
  return digits.replace(/\B(?=(\d{3})+$)/g, ',');
}

/** Bytes with a sign when they grew: `+1.2 KB`, `0 B`, `-3.0 MB`. */
export function formatSignedBytes(bytes: number): string {
  return (bytes > 0 ? '+' : '') + formatBytes(bytes);
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

export function formatShare(share: number): string {
  return `${(share * 100).toFixed(share < 0.1 && share > -0.1 ? 1 : 0)}%`;
}

/** Milliseconds with sensible precision: 0.412 ms, 4.12 ms, 41.2 ms, 412 ms, 4.12 s. */
export function formatMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(ms >= 10_000 ? 1 : 2)} s`;
  if (ms >= 100) return `${Math.round(ms)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  if (ms >= 1) return `${ms.toFixed(2)} ms`;
  return `${ms.toFixed(3)} ms`;
}

/**
 * A budget's figure in its unit: `+64.0 KB/s` ('B/s'), `1.2 KB` ('B'), `35%` ('share'), `94.96%` ('%': a
 * probe's share, never rounded up to the limit it missed), `+12/min` ('/min'), `14.0 ms` ('ms'), or a number
 * with the probe's own suffix (`400 ms`, `50/s`).
 */
export function formatFigure(unit: string, value: number): string {
  switch (unit) {
    case 'B/s':
      return `${value > 0 ? '+' : ''}${formatBytes(value)}/s`;
    case 'B':
      return formatBytes(value);
    case 'share':
      return formatShare(value);
    case '%':
      return `${Number((value * 100).toPrecision(4))}%`;
    case '/min':
      return `${value > 0 ? '+' : ''}${Number(value.toFixed(1))}/min`;
    case 'ms':
      return `${value.toFixed(1)} ms`;
    default:
      return `${Number.isInteger(value) ? value : value.toPrecision(4)}${unit}`;
  }
}

/** A limit in its unit, without a sign: `16.0 KB/s`, `10/min`. */
export function formatLimit(unit: string, value: number): string {
  return formatFigure(unit, value).replace(/^\+/, '');
}

/** `active handles +12.0/min (81 -> 200)`: a count's growth per minute and its net change. */
export function formatCountGrowth(what: string, growth: { perMinute: number; first: number; last: number }): string {
  return (
    `${what} ${growth.perMinute >= 0 ? '+' : ''}${growth.perMinute.toFixed(1)}/min (${growth.first} -> ` +
    `${growth.last})`
  );
}

/** `35% of 5.0 MB came back`: GC recovery as a share of what the run grew. */
export function formatRecovery(recovered: number, grewBytes: number): string {
  return `${formatShare(recovered)} of ${formatBytes(grewBytes)} came back`;
}

/** `event-loop delay p99 14.2 ms (median of intervals)`. */
export function formatEventLoop(p99Ms: number): string {
  return `event-loop delay p99 ${p99Ms.toFixed(1)} ms (median of intervals)`;
}

/** `; growing: TCPSocketWrap +2262/min, Timeout +3/min`, or nothing when no handle type grew. */
export function formatGrowingTypes(
  types: ReadonlyArray<{ readonly type: string; readonly perMinute: number }>,
): string {
  const byType = types.map((t) => `${t.type} +${t.perMinute.toFixed(0)}/min`).join(', ');
  return byType ? `; growing: ${byType}` : '';
}
