/**
 * Terminal text for `memprobe inspect` and `memprobe diff`: the same report objects `--json` writes,
 * formatted for people. Pure: report in, string out.
 */
import { VALUES_SHOWN_NOTE } from '../core/values-note.js';
import { formatBytes, formatCount, formatSignedBytes } from '../core/format.js';
import { MIN_CLUSTER_BYTES } from '../constants.js';
import type { ComparisonReport } from '../heap/compare.js';
import type { InspectReport } from '../heap/inspect.js';
import type { LeakReport } from '../heap/leaks.js';

export interface HeapTextOptions {
  /** Rows per table (constructors, objects, classes, clusters). */
  readonly top: number;
}

const signed = formatSignedBytes;
const count = formatCount;
const signedCount = (n: number): string => (n > 0 ? '+' : '') + count(n);

function clip(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

function table(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  rightAligned: ReadonlySet<number>,
): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const cell = (c: string, i: number): string => (rightAligned.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!));
  const line = (cells: readonly string[]): string => `  ${cells.map(cell).join('  ')}`.trimEnd();
  return [line(headers), ...rows.map(line)];
}

function pathLines(path: readonly string[], indent: string): string[] {
  if (path.length === 0) return [`${indent}(no path from a root: unreachable or held only weakly)`];
  return path.map((step, i) => `${indent}${i === 0 ? '' : '→ '}${step}`);
}

export function renderInspectText(report: InspectReport, options: HeapTextOptions): string {
  const { totals } = report;
  const lines = [
    `heap snapshot ${report.file}`,
    `  ${count(totals.nodes)} nodes, ${count(totals.edges)} edges, ${count(totals.strings)} strings; ` +
      `${formatBytes(totals.selfSize)} in objects` +
      (totals.unreachable > 0 ? `; ${count(totals.unreachable)} objects not reachable from a root` : ''),
    `  retained sizes by ${report.rules === 'memlab' ? "memlab's" : "Chrome DevTools'"} rules`,
    ...(report.showValues ? [`  ${VALUES_SHOWN_NOTE}`] : []),
    '',
    `top ${Math.min(options.top, report.constructors.length)} of ${count(report.constructors.length)}` +
      ` constructors by retained size`,
    ...table(
      ['retained', 'self', 'count', 'constructor'],
      report.constructors
        .slice(0, options.top)
        .map((c) => [formatBytes(c.retainedSize), formatBytes(c.selfSize), count(c.count), clip(c.name, 80)]),
      new Set([0, 1, 2]),
    ),
    '',
    `largest ${Math.min(options.top, report.largestObjects.length)} objects by retained size`,
  ];
  for (const o of report.largestObjects.slice(0, options.top)) {
    const name = o.name && o.name !== o.className ? ` ${clip(o.name, 60)}` : '';
    lines.push(
      `  ${formatBytes(o.retainedSize).padStart(9)}  ${o.className}${name} @${o.id}  (self ${formatBytes(o.selfSize)})`,
    );
    lines.push(...pathLines(o.path, '             '));
  }
  return lines.join('\n');
}

export function renderComparisonText(report: ComparisonReport, options: HeapTextOptions): string {
  const { totals } = report;
  const shown = report.classes.slice(0, options.top);
  return [
    `comparison ${report.files.base} → ${report.files.target}`,
    `  objects ${count(totals.baseObjects)} → ${count(totals.targetObjects)}: ${count(totals.newCount)} new, ` +
      `${count(totals.deletedCount)} deleted`,
    `  size ${formatBytes(totals.baseSize)} → ${formatBytes(totals.targetSize)}: ${signed(totals.addedSize)}` +
      ` new, ${signed(-totals.removedSize)} deleted`,
    '',
    `top ${shown.length} of ${count(report.classes.length)} changed classes by size delta`,
    ...table(
      ['size delta', '# new', '# deleted', '# delta', 'added', 'removed', 'constructor'],
      shown.map((c) => [
        signed(c.sizeDelta),
        count(c.newCount),
        count(c.deletedCount),
        signedCount(c.countDelta),
        formatBytes(c.addedSize),
        formatBytes(c.removedSize),
        clip(c.name, 80),
      ]),
      new Set([0, 1, 2, 3, 4, 5]),
    ),
  ].join('\n');
}

export function renderLeakText(report: LeakReport, options: HeapTextOptions): string {
  const { summary, files } = report;
  const tiny = summary.ignored['tiny cluster'];
  const internals = Object.values(summary.ignored).reduce((a, b) => a + b, 0) - tiny;
  const lines = [
    `leak check ${files.base} → ${files.target} → ${files.final}`,
    `  ${count(summary.newAndAlive)} objects (${formatBytes(summary.newAndAliveSize)}` +
      `) are new in the target and still alive in the final snapshot`,
    `  ${count(internals)} ignored as Node/V8 internals, ${count(summary.heldByLeaks)}` +
      ` held by other leaked objects` +
      `${tiny > 0 ? `, ${count(tiny)} in clusters under ${formatBytes(MIN_CLUSTER_BYTES)}` : ''}, ` +
      `${count(summary.leakRoots)} reported`,
    ...(report.showValues ? [`  ${VALUES_SHOWN_NOTE}`] : []),
    '',
  ];
  if (report.clusters.length === 0) {
    lines.push('no leaks found among the objects allocated between base and target that survive in the final snapshot');
    return lines.join('\n');
  }
  const shown = report.clusters.slice(0, options.top);
  lines.push(
    `${count(report.clusters.length)} leak cluster${report.clusters.length === 1 ? '' : 's'}` +
      `, largest retained size first`,
  );
  shown.forEach((c, i) => {
    lines.push('');
    lines.push(
      `  #${i + 1}  ${c.constructor} ×${count(c.count)}  retains ${formatBytes(c.retainedSize)} (self ` +
        `${formatBytes(c.selfSize)})`,
    );
    lines.push(...pathLines(c.path, '      '));
    if (c.members)
      lines.push(
        `      entries: ` +
          `${c.members.map((m) => `${count(m.count)} ${m.constructor} (${formatBytes(m.retainedSize)})`).join(', ')}`,
      );
    if (c.samples && c.samples.length > 0) lines.push(`      samples: ${c.samples.join(', ')}`);
    if (c.sampleIds.length > 0) lines.push(`      e.g. ${c.sampleIds.map((id) => `@${id}`).join(' ')}`);
  });
  if (report.clusters.length > shown.length)
    lines.push('', `  … ${count(report.clusters.length - shown.length)} more in --json`);
  return lines.join('\n');
}
