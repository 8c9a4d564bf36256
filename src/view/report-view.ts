/**
 * A soak or check report (report.json) as the page shows it: per probe its verdict, the heap-over-time chart and
 * the history trend (the HTML report's own SVG builders, so both pages draw the same chart), and the leak
 * clusters the report kept, their samples by shape unless `--show-values`. A report read from disk may hold
 * anything: a probe whose fields lack their types loses its chart rather than breaking the page.
 */
import { UsageError } from '../errors.js';
import type { MetricComparison } from '../history/types.js';
import { memoryChart } from '../report/html.js';
import { probeHistory } from '../report/html-sections.js';
import type { LeakClusterSummary, ProbeReport } from '../types.js';
import { maskSample } from './values.js';

export interface ViewCluster {
  readonly constructor: string;
  readonly count: number;
  readonly retainedSize: number;
  readonly path: readonly string[];
  readonly samples: readonly string[];
  /** Node ids of the largest members (in the explored snapshot: links to the object). */
  readonly sampleIds: readonly number[];
}

export interface ViewProbe {
  readonly name: string;
  readonly verdict: string;
  readonly snapshots: { readonly baseline: string; readonly target: string; readonly final: string } | null;
  /** Escaped SVG and tables from src/report: safe to insert as HTML. */
  readonly chartHtml: string;
  readonly historyHtml: string;
  readonly clusters: readonly ViewCluster[];
}

export interface ViewReport {
  readonly file: string;
  readonly kind: string;
  readonly verdict: string;
  readonly startedAt: string;
  readonly probes: readonly ViewProbe[];
  /** The probe whose snapshots the page explores. */
  readonly explored?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);

/** Leak clusters (of a report or of the leak method) as the page shows them. */
export function viewClusters(value: unknown, showValues: boolean): ViewCluster[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isObject).flatMap((c) => {
    const cluster = c as Partial<LeakClusterSummary> & { sampleIds?: unknown };
    if (typeof cluster.constructor !== 'string' || typeof cluster.count !== 'number') return [];
    if (typeof cluster.retainedSize !== 'number' || !Array.isArray(cluster.path)) return [];
    const samples = Array.isArray(cluster.samples) ? cluster.samples.filter((s) => typeof s === 'string') : [];
    const ids = Array.isArray(cluster.sampleIds) ? cluster.sampleIds.filter((i) => Number.isInteger(i)) : [];
    return [
      {
        constructor: cluster.constructor,
        count: cluster.count,
        retainedSize: cluster.retainedSize,
        path: cluster.path.map((step) => String(step)),
        samples: showValues ? samples : samples.map(maskSample),
        sampleIds: ids as number[],
      },
    ];
  });
}

function safely(build: () => string): string {
  try {
    return build();
  } catch {
    return '';
  }
}

export function readReport(file: string, json: string, showValues: boolean): ViewReport {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new UsageError(`${file}: not a JSON report (${(error as Error).message})`);
  }
  if (!isObject(parsed) || !Array.isArray(parsed.probes)) {
    throw new UsageError(`${file}: not a memprobe soak or check report (no "probes" list)`);
  }
  const history = isObject(parsed.history) && Array.isArray(parsed.history.comparisons) ? parsed.history : null;
  const comparisons = (history?.comparisons ?? []) as MetricComparison[];
  const probes = parsed.probes.filter(isObject).map((raw): ViewProbe => {
    const probe = raw as unknown as ProbeReport;
    const name = text(raw.name, '?');
    const snapshots = isObject(raw.snapshots) ? (raw.snapshots as unknown as ViewProbe['snapshots']) : null;
    const wellFormed = Array.isArray(raw.samples) && Array.isArray(raw.budgets);
    return {
      name,
      verdict: text(raw.verdict, '?'),
      snapshots:
        snapshots && [snapshots.baseline, snapshots.target, snapshots.final].every((s) => typeof s === 'string')
          ? snapshots
          : null,
      chartHtml: wellFormed ? safely(() => memoryChart(probe, 'heap').toString()) : '',
      historyHtml: safely(() => probeHistory(comparisons.filter((c) => isObject(c) && c.probe === name)).toString()),
      clusters: viewClusters(raw.leakClusters, showValues),
    };
  });
  return {
    file,
    kind: text(parsed.kind, 'soak'),
    verdict: text(parsed.verdict, '?'),
    startedAt: text(parsed.startedAt),
    probes,
  };
}
