/**
 * The terminal report: the same SoakReport object `--json` writes, formatted for people.
 */
import {
  formatBytes,
  formatCount,
  formatCountGrowth,
  formatDuration,
  formatEventLoop,
  formatGrowingTypes,
  formatRecovery,
  formatShare,
  formatSignedBytes,
} from '../core/format.js';
import { NEW_OBJECTS_GROWTH_SHARE } from '../constants.js';
import type { BudgetResult, Growth, ProbeReport, ProfileSummaries, SnapshotGrowth, SoakReport } from '../types.js';
import { budgetBound, budgetValue, notRunText, probeCount } from './figures.js';
import { leakQuestionLines } from './leak-text.js';

const signed = formatSignedBytes;
const rate = (bytes: number): string => `${signed(bytes)}/s`;

/** Budgets with a row of their own after growth and per item, in order; any other result gets a generic row. */
const BUDGET_ROWS = [
  ['gcRecovery', 'GC recovery'],
  ['heapLimit', 'heap limit'],
  ['handleGrowth', 'handles'],
  ['fdGrowth', 'file descriptors'],
  ['eventLoopP99', 'event loop'],
] as const;

/** What a budget measured, from the probe's figures; its reason when it was not judged (skipped, inconclusive). */
function figureOrReason(probe: ProbeReport, budget: BudgetResult): string {
  if ((budget.status !== 'pass' && budget.status !== 'fail') || budget.actual === null) return budget.reason;
  const r = probe.resources;
  switch (budget.name) {
    case 'gcRecovery':
      return probe.gcRecovery ? formatRecovery(budget.actual, probe.gcRecovery.grewBytes) : budget.reason;
    case 'heapLimit':
      return budget.reason;
    case 'handleGrowth':
      return r?.handles
        ? formatCountGrowth('active handles', r.handles) + formatGrowingTypes(r.growingHandleTypes)
        : budget.reason;
    case 'fdGrowth':
      return r?.fds ? formatCountGrowth('open file descriptors', r.fds) : budget.reason;
    case 'eventLoopP99':
      return formatEventLoop(budget.actual);
    default:
      return budgetValue(budget, budget.actual);
  }
}

function growthText(growth: Growth | null): string {
  if (!growth) return 'not measured';
  const perIteration = growth.bytesPerIteration === null ? '' : `  ${signed(growth.bytesPerIteration)}/iteration`;
  return `${rate(growth.bytesPerSecond)}  [${rate(growth.ciLow)}, ${rate(growth.ciHigh)}]${perIteration}`;
}

function row(label: string, value: string, budget?: BudgetResult): string {
  const tail = budget ? `${budgetBound(budget, 'text').padEnd(14)} ${budget.status}` : '';
  // A long label (a probe's check name) takes room from the value, so the limit column stays in place.
  const head = `${label.padEnd(19)} `;
  return `    ${head}${value.padEnd(Math.max(0, 76 - head.length))} ${tail}`.trimEnd();
}

function budgetFor(probe: ProbeReport, name: BudgetResult['name'], memory?: string): BudgetResult | undefined {
  return probe.budgets.find((b) => b.name === name && (memory === undefined || b.memory === memory));
}

function processLine(probe: ProbeReport): string {
  const parts: string[] = [];
  const { cpuPercentMean, peakRss, threads } = probe.process;
  if (cpuPercentMean !== null) parts.push(`CPU ${Math.round(cpuPercentMean)}%`);
  if (peakRss !== null) parts.push(`peak RSS ${formatBytes(peakRss)}`);
  if (threads !== null) parts.push(`${threads} threads`);
  if (probe.gcShare !== null) {
    const pause = probe.gcPauseMsMax === null ? '' : ` (max pause ${probe.gcPauseMsMax.toFixed(1)} ms)`;
    parts.push(`forced GC ${formatShare(probe.gcShare)} of wall time${pause}`);
  }
  return parts.join(' · ');
}

function runtimeLine(probe: ProbeReport): string {
  const r = probe.resources;
  if (!r) return '';
  const parts: string[] = [];
  if (r.eventLoopP99Ms !== null)
    parts.push(
      `event-loop delay p99 ${r.eventLoopP99Ms.toFixed(1)} ms (worst interval ${r.eventLoopP99MaxMs?.toFixed(1)} ms)`,
    );
  if (r.cpuMicrosPerIteration !== null) {
    const change = r.cpuPerIterationChangePerMinute;
    const trend = change === null ? '' : ` (${change >= 0 ? '+' : ''}${(change * 100).toFixed(0)}%/min)`;
    parts.push(
      `CPU ` +
        `${r.cpuMicrosPerIteration < 10 ? r.cpuMicrosPerIteration.toFixed(2) : Math.round(r.cpuMicrosPerIteration)}` +
        ` µs/iteration${trend}`,
    );
  }
  return parts.join(' · ');
}

function leakLines(probe: ProbeReport): string[] {
  if (!probe.leakClusters) return [];
  if (probe.leakClusters.length === 0) return noClusterLines(probe.snapshotGrowth);
  const lines = ['    leaked objects (new in the mid-soak snapshot, still alive at the end), by retained size:'];
  for (const cluster of probe.leakClusters) {
    lines.push(
      `      ${formatBytes(cluster.retainedSize).padStart(10)}  ${formatCount(cluster.count)} x ` +
        `${cluster.constructor}`,
    );
    lines.push(`                  held by ${cluster.path.join(' -> ')}`);
    if (cluster.samples && cluster.samples.length > 0)
      lines.push(`                  e.g. ${cluster.samples.join(', ')}`);
  }
  return lines;
}

/** No cluster: say what the snapshots show, with figures, rather than why nothing was found. */
export function noClusterLines(growth: SnapshotGrowth | undefined): string[] {
  if (!growth) return ['    leaked objects: no leak cluster found in the snapshots'];
  const { heapDelta, newAndAliveSize, grew } = growth;
  const signed = (bytes: number): string => `${bytes >= 0 ? '+' : '-'}${formatBytes(Math.abs(bytes))}`;
  const lines: string[] = [];
  if (heapDelta <= 0) {
    lines.push(
      `    leaked objects: none in the snapshots, whose heap did not grow from baseline to final (` +
        `${signed(heapDelta)}): the growth is not in the JS heap's objects`,
    );
  } else if (newAndAliveSize < NEW_OBJECTS_GROWTH_SHARE * heapDelta) {
    lines.push(
      `    leaked objects: none found; the growth is not in objects new mid-soak: they hold ` +
        `${formatBytes(newAndAliveSize)} of the ${signed(heapDelta)} the heap grew from baseline to final snapshot`,
    );
  } else {
    lines.push(
      `    leaked objects: no leak cluster found, but objects new mid-soak and still alive (Node/V8` +
        ` internals included) hold ${formatBytes(newAndAliveSize)} of the ${signed(heapDelta)}` +
        ` the heap grew from baseline to final snapshot`,
    );
  }
  if (grew.length > 0) {
    const classes = grew.map(
      (c) => `${c.name} ${c.countDelta >= 0 ? '+' : ''}${formatCount(c.countDelta)} (${signed(c.sizeDelta)})`,
    );
    lines.push(`    grew most from baseline to final snapshot: ${classes.join(', ')}`);
  }
  return lines;
}

const PROFILE_ROWS = 5;

/** Top allocation sites and CPU functions of recorded profiles (soak and `memprobe profile`). */
export function profileLines({ heap, cpu }: ProfileSummaries): string[] {
  const lines: string[] = [];
  if (heap) {
    const own =
      heap.toolBytes > 0
        ? `, ${formatShare(heap.toolBytes / heap.sampledBytes)} memprobe's own (not in the shares below)`
        : '';
    const charged =
      `${formatShare(heap.programShare)} of ${formatBytes(heap.sampledBytes)} sampled charged to program functions` +
      `${own}`;
    lines.push(`    surviving allocations by site (${charged}; ${heap.file}):`);
    for (const site of heap.topSites.slice(0, PROFILE_ROWS)) {
      lines.push(
        `      ${formatBytes(site.value).padStart(10)}  ${formatShare(site.share).padStart(6)}  ` +
          `${site.functionName}  ${site.location}`,
      );
    }
  }
  if (cpu) {
    lines.push(`    CPU self time by function (${cpu.file}):`);
    for (const site of cpu.topFunctions.slice(0, PROFILE_ROWS)) {
      lines.push(
        `      ${`${site.value.toFixed(0)} ms`.padStart(10)}  ${formatShare(site.share).padStart(6)}  ` +
          `${site.functionName}  ${site.location}`,
      );
    }
  }
  return lines;
}

function formatMetric(value: number): string {
  return Number.isInteger(value) ? formatCount(value) : value.toPrecision(4);
}

export function renderProbe(probe: ProbeReport): string[] {
  const speed = probe.iterationsPerSecond === null ? '' : ` · ${formatCount(probe.iterationsPerSecond)}/s`;
  const lines = [
    `${probe.verdict.toUpperCase().padEnd(12)} ${probe.name}   ${formatDuration(probe.durationMs)} soak · ` +
      `${formatCount(probe.iterations)} iterations${speed}`,
  ];
  if (probe.fault) lines.push(`    ${probe.fault.kind}: ${probe.fault.message}`);
  lines.push(...leakQuestionLines(probe));
  lines.push(row('heap growth', growthText(probe.growth), budgetFor(probe, 'growthRate', 'heap')));
  lines.push(row('external growth', growthText(probe.externalGrowth), budgetFor(probe, 'growthRate', 'external')));
  const perItem = budgetFor(probe, 'perItem');
  if (probe.perItemBytes !== null || perItem) {
    lines.push(
      row('per item', probe.perItemBytes === null ? (perItem?.reason ?? '') : formatBytes(probe.perItemBytes), perItem),
    );
  }
  for (const [name, label] of BUDGET_ROWS) {
    const budget = budgetFor(probe, name);
    if (budget) lines.push(row(label, figureOrReason(probe, budget), budget));
  }
  const runtime = runtimeLine(probe);
  if (runtime) lines.push(`    ${'runtime'.padEnd(19)} ${runtime}`);
  const own = new Set<string>(['growthRate', 'perItem', ...BUDGET_ROWS.map(([name]) => name)]);
  for (const check of probe.budgets.filter((b) => !own.has(b.name)))
    lines.push(row(check.name, figureOrReason(probe, check), check));
  lines.push(...profileLines(probe.profiles), ...leakLines(probe));
  const proc = processLine(probe);
  if (proc) lines.push(`    ${'process'.padEnd(19)} ${proc}`);
  // Checked figures already have a row of their own.
  const metrics = Object.entries(probe.metrics).filter(([name]) => !probe.budgets.some((b) => b.name === name));
  if (metrics.length > 0) {
    lines.push(`    ${'probe metrics'.padEnd(19)} ${metrics.map(([k, v]) => `${k} ${formatMetric(v)}`).join(' · ')}`);
  }
  for (const note of probe.notes) lines.push(`    note: ${note}`);
  for (const budget of probe.budgets) {
    if (budget.status === 'fail')
      lines.push(`    ✗ ${budget.name}${budget.memory ? ` (${budget.memory})` : ''}: ${budget.reason}`);
  }
  return lines;
}

export function renderSoakText(report: SoakReport): string {
  const { settings } = report;
  const time = settings.untilDecided
    ? `until decided (at most ${formatDuration(settings.durationMs)})`
    : formatDuration(settings.durationMs);
  const header = `memprobe soak · ${probeCount(report)} · ${time} · node ${report.node}`;
  const lines = [header, ''];
  for (const probe of report.probes) lines.push(...renderProbe(probe), '');
  const notRun = notRunText(report);
  if (notRun) lines.push(notRun, '');
  const tally = ['pass', 'fail', 'inconclusive', 'error']
    .map((v) => [v, report.probes.filter((p) => p.verdict === v).length] as const)
    .filter(([, n]) => n > 0)
    .map(([v, n]) => `${n} ${v}`)
    .join(', ');
  lines.push(
    `${report.interrupted ? 'INTERRUPTED (partial report) · ' : ''}verdict: ${report.verdict.toUpperCase()}` +
      `${tally ? ` (${tally})` : ''}`,
  );
  return lines.join('\n');
}
