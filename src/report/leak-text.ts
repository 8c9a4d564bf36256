/**
 * The leak question in the terminal report: the answer, the steady state's growth and what it means over a day,
 * where the warm-up ended, growth that levelled off, what the JIT added apart, and why the run stopped.
 */
import { formatBytes, formatDuration, formatSignedBytes } from '../core/format.js';
import type { LeakEvidence, ProbeReport, RateMeaning, SoakStop } from '../types.js';

const signed = formatSignedBytes;
const ANSWER: Readonly<Record<LeakEvidence['status'], string>> = {
  leak: 'LEAK',
  'no-leak': 'no leak',
  undecided: 'undecided (not called a leak)',
};

/** "+1.9 KB/s: +160 MB a day, the heap limit in 24 days" */
export function rateMeaning({ bytesPerSecond, bytesPerDay, daysToHeapLimit }: RateMeaning): string {
  if (bytesPerSecond <= 0) return `${signed(bytesPerSecond)}/s`;
  const limit = daysToHeapLimit === null ? '' : `, the heap limit in ${inDays(daysToHeapLimit)}`;
  return `${signed(bytesPerSecond)}/s: ${signed(bytesPerDay)} a day${limit}`;
}

/** "24 days", "2.5 days", under a day "5.2 h", under an hour "12.4 min" or "40 s". */
function inDays(days: number): string {
  if (days >= 1) return `${days.toFixed(days < 10 ? 1 : 0)} days`;
  return days >= 1 / 24 ? `${(days * 24).toFixed(1)} h` : formatDuration(days * 86_400_000);
}

/** Where the steady state began: after a warm-up found in the samples, or over the whole window. */
function warmup(leak: LeakEvidence, probe: ProbeReport): string {
  const first = probe.samples.find((s) => s.phase === 'soak')?.timeMs ?? 0;
  const from = leak.steady?.fromMs ?? 0;
  return from > first
    ? `since ${formatDuration(from)} (warm-up found there)`
    : 'over the whole window (no warm-up found)';
}

const STOP: Readonly<Record<SoakStop['reason'], string>> = {
  decided: 'the evidence decided',
  'max-duration': 'undecided at --max-duration',
  duration: 'fixed --duration',
  stopped: 'interrupted',
};

/** Program mode's leak question (probe mode has it in the JSON: its verdict stays with its budgets). */
export function leakQuestionLines(probe: ProbeReport): string[] {
  const leak = probe.leak;
  if (!leak || !probe.stop) return [];
  const label = (text: string): string => `    ${text.padEnd(19)} `;
  const lines: string[] = [];
  const steady = leak.steady;
  const figures = steady
    ? `${rateMeaning(steady)} [${signed(steady.low)}/s, ${signed(steady.high)}/s at ` +
      `${(leak.confidence * 100).toFixed(2)}%] ${warmup(leak, probe)}`
    : '';
  const store = leak.store ? `: the store grows ${rateMeaning(leak.store)}` : '';
  lines.push(`${label('leak question')}${ANSWER[leak.status]}${store}`);
  if (figures) lines.push(`${label('held memory')}${figures}`);
  lines.push(`${label('')}${leak.reason}`);
  if (leak.levelled)
    lines.push(
      `${label('levelled off')}${signed(leak.levelled.bytes)} in the first ${formatDuration(leak.levelled.untilMs)}, ` +
        'then no more (a store filling to its bound, a one-off table, warm-up)',
    );
  if (leak.codeGrowthBytes !== null)
    lines.push(`${label('code')}${signed(leak.codeGrowthBytes)} of compiled code and bytecode (the JIT; not counted)`);
  const stop = probe.stop;
  if (stop) {
    const looks = stop.looks > 0 ? `, look ${stop.looks} of ${stop.of}` : '';
    const named = stop.confirmed
      ? `; snapshots to name it over ${formatDuration(stop.confirmed.toMs - stop.confirmed.fromMs)}`
      : stop.heapTooBig !== undefined
        ? `; not named: the heap would be ${formatBytes(stop.heapTooBig)} by the last snapshot (--snapshots takes them)`
        : '';
    lines.push(`${label('stopped')}after ${formatDuration(stop.atMs)}: ${STOP[stop.reason]}${looks}${named}`);
  }
  return lines;
}
