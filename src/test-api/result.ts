/**
 * The result of a leak check (a tagged union) and the failure message built from it. Pure: no I/O.
 */
import {
  checkCountPerIteration,
  checkIterationGrowth,
  iterationGrowth,
  type IterationGrowth,
  type IterationVerdict,
} from '../analyze/per-iteration.js';
import { formatBytes, formatDuration } from '../core/format.js';
import type { Census } from './census.js';
import type { Series } from './measure.js';
import type { ResolvedOptions } from './options.js';

/** One memory series (JS heap or external) fitted against the iteration count. */
export interface MemoryFigure {
  readonly memory: 'heap' | 'external';
  readonly growth: IterationGrowth | null;
  readonly verdict: IterationVerdict;
}

/** A handle type whose count grew with the iterations. */
export interface HandleFigure {
  readonly type: string;
  readonly growth: IterationGrowth;
  readonly verdict: IterationVerdict;
}

/** What `assertNoLeak` measured; `status` says whether it passed. */
export interface LeakCheck {
  readonly status: 'pass' | 'fail' | 'inconclusive';
  readonly heap: MemoryFigure;
  readonly external: MemoryFigure;
  /** Handle types that broke the no-growth rule (empty when `handles: false`). */
  readonly handles: readonly HandleFigure[];
  /** The budget in bytes per iteration (a per-second budget converted with the function's own speed). */
  readonly limitBytesPerIteration: number;
  readonly budget: string;
  readonly iterations: number;
  readonly warmupIterations: number;
  readonly batches: number;
  /** Time in the function itself, and in forced GCs, over the measured batches. */
  readonly workMs: number;
  readonly gcMs: number;
  /** The constructors that grew, when the check failed and `census` was on. */
  readonly census: Census | null;
}

/** The per-iteration limit: a per-second budget times the seconds one iteration took. */
export function limitPerIteration(options: ResolvedOptions, series: Series): number {
  const { budget } = options;
  const done = series.iterations[series.iterations.length - 1] ?? 0;
  if (budget.kind === 'perIteration' || done === 0) return budget.bytes;
  return (budget.bytes * series.workMs) / 1000 / done;
}

/** Fits the series against the budget; the census is added by the caller after a fail. */
export function judge(series: Series, options: ResolvedOptions): LeakCheck {
  const limit = limitPerIteration(options, series);
  const memory = (kind: 'heap' | 'external', values: Float64Array): MemoryFigure => {
    const growth = iterationGrowth(series.iterations, values);
    return {
      memory: kind,
      growth,
      verdict: checkIterationGrowth(
        growth,
        limit,
        options.minRiseBytes,
        kind === 'heap' ? 'JS heap' : 'external memory',
      ),
    };
  };
  const heap = memory('heap', series.heap);
  const external = memory('external', series.external);
  const handles: HandleFigure[] = [];
  if (options.handles) {
    for (const [type, counts] of series.handles) {
      const growth = iterationGrowth(series.iterations, counts);
      const verdict = checkCountPerIteration(growth, `active ${type} handles`);
      if (growth && verdict.status === 'fail') handles.push({ type, growth, verdict });
    }
  }
  const statuses = [heap.verdict.status, external.verdict.status, ...handles.map((h) => h.verdict.status)];
  const status = statuses.includes('fail') ? 'fail' : statuses.includes('inconclusive') ? 'inconclusive' : 'pass';
  return {
    status,
    heap,
    external,
    handles,
    limitBytesPerIteration: limit,
    budget: options.budget.text,
    iterations: series.iterations[series.iterations.length - 1] ?? 0,
    warmupIterations: series.warmupIterations,
    batches: options.batches,
    workMs: series.workMs,
    gcMs: series.gcMs,
    census: null,
  };
}

function censusLines(census: Census | null): string[] {
  if (!census) return [];
  if (census.status === 'error') return [`  (could not name the growing constructors: ${census.message})`];
  if (census.growing.length === 0)
    return [`  no constructor's live count grew with ${census.iterations} more iterations`];
  const lines = [
    `  constructors whose live count grew with the iterations (${census.iterations} more, between two heap snapshots):`,
  ];
  for (const c of census.growing) {
    lines.push(
      `    ${c.name} +${c.countGrowth} (${Number(c.perIteration.toPrecision(3))} per iteration, ` +
        `${formatBytes(c.bytesGrowth)})`,
    );
  }
  if (census.path && census.growing[0])
    lines.push(`  retainer path of a new ${census.growing[0].name}: ${census.path.join(' -> ')}`);
  if (census.files.length > 0) lines.push(`  heap snapshots kept: ${census.files.join(', ')}`);
  return lines;
}

/**
 * The AssertionError message: the broken figures first (figure, interval, budget), then what grew, then how it
 * was measured.
 */
export function failureMessage(check: LeakCheck): string {
  const broken = [check.heap, check.external].filter((m) => m.verdict.status !== 'pass').map((m) => m.verdict.reason);
  broken.push(...check.handles.map((h) => h.verdict.reason));
  const head =
    check.status === 'inconclusive' ? 'leak check inconclusive' : 'memory or handles grew with the iterations';
  const passed = [check.heap, check.external]
    .filter((m) => m.verdict.status === 'pass')
    .map((m) => `  (${m.verdict.reason})`);
  const budget = check.budget.endsWith('/s')
    ? ` (${check.budget} = ${formatBytes(check.limitBytesPerIteration)}/iteration at this speed)`
    : '';
  return [
    `${head}: ${broken[0] ?? ''}${budget}`,
    ...broken.slice(1).map((line) => `  ${line}`),
    ...passed,
    ...censusLines(check.census),
    `  measured: ${check.iterations} iterations in ${check.batches} batches after ${check.warmupIterations}` +
      ` warm-up iterations, ${formatDuration(check.workMs)} in the function, ${formatDuration(check.gcMs)}` +
      ` in forced GCs`,
  ].join('\n');
}
