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
