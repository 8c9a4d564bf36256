/**
 * Runs probes one after the other in controlled children and turns their samples into a report.
 * The time given is shared equally between the probes.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { analyze } from '../analyze/analyze.js';
import { checkProbeFigure, heapLimitResult, verdictOf } from '../budgets/check.js';
import { overallVerdict } from '../core/verdict.js';
import { resolveBudgets } from '../budgets/resolve.js';
import { DEFAULT_OUT_DIR, DEFAULT_WARMUP_MS, SCRIPT_EXTENSION } from '../constants.js';
import { leakQuestion, settleRun } from './leak-verdict.js';
import type { BudgetResult, BudgetSpec, ProbeReport, ProfileSummaries, Sample, SoakReport, Verdict } from '../types.js';
import { runInChild, type ChildRun, type ControllerOptions } from './controller.js';
import type { ProfileFiles } from './profiler.js';
import type { ChildMessage, SnapshotFiles } from './protocol.js';
import { withLeakClusters } from './leak-clusters.js';
import { withRedactedSnapshots } from '../heap/redacted-output.js';
import { readProfiles } from './read-profiles.js';
import { planTime } from '../core/time-plan.js';

export interface SoakOptions {
  /** Probe files, already resolved. */
  readonly probes: readonly string[];
  /** Total time, shared equally between the probes (warm-up included). */
  readonly durationMs: number;
  /** Warm-up per probe; by default 2 s, at most a fifth of the probe's share. */
  readonly warmupMs?: number | undefined;
  readonly sampleIntervalMs: number;
  readonly gcShareTarget: number;
  readonly stallTimeoutMs: number;
  readonly maxOldSpaceSizeMb?: number | undefined;
  readonly verbose?: boolean | undefined;
  /** Budget layers above the probe's own, lowest precedence first (config file, per-probe config, CLI). */
  readonly budgetLayers?: ((probeName: string) => ReadonlyArray<{ source: string; spec: BudgetSpec }>) | undefined;
  readonly target?: string | undefined;
  readonly probeOptions?: Readonly<Record<string, string>> | undefined;
  /** Profiles to record over each probe's soak window (`--profile heap,cpu`). */
  readonly profile?: { readonly heap: boolean; readonly cpu: boolean } | undefined;
  /** Where profiles and snapshots are written. */
  readonly outDir?: string | undefined;
  /** Write baseline, mid-soak and final heap snapshots of each probe (`--snapshots`). */
  readonly snapshots?: boolean | undefined;
  /** Redact the snapshots as they are written (`--redact`). */
  readonly redactSnapshots?: boolean | undefined;
  /** Heap keys and string values in the leak samples (`--show-values`). */
  readonly showValues?: boolean | undefined;
  /**
   * Set: no fixed duration; each probe soaks until its leak evidence decides, or this long (`durationMs` is then
   * not shared out). Unset: each probe's share of `durationMs`, its samples weighed once at the end.
   */
  readonly untilDecidedMaxMs?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly onMessage?: ((probeFile: string, message: ChildMessage) => void) | undefined;
  readonly version: string;
}

/** File names of the three snapshots of one probe or program. */
export function snapshotFiles(stem: string): SnapshotFiles {
  return {
    baseline: `${stem}-1-baseline.heapsnapshot`,
    target: `${stem}-2-target.heapsnapshot`,
    final: `${stem}-3-final.heapsnapshot`,
  };
}

function soakFigures(
  samples: readonly Sample[],
): Pick<ProbeReport, 'iterations' | 'iterationsPerSecond' | 'durationMs' | 'gcShare' | 'gcPauseMsMax'> {
  const baseline = samples.find((s) => s.phase === 'baseline');
  const soak = samples.filter((s) => s.phase === 'soak');
  const last = soak.at(-1);
  const iterations = samples.at(-1)?.iterations ?? 0;
  if (!baseline || !last || last.timeMs <= 0) {
    return { iterations, iterationsPerSecond: null, durationMs: last?.timeMs ?? 0, gcShare: null, gcPauseMsMax: null };
  }
  const gcMs = soak.reduce((sum, s) => sum + s.gcMs, 0);
  // A program's traffic driver reports its count only at the end, in the final sample.
  const counted = last.iterations > baseline.iterations ? last : (samples.at(-1) ?? last);
  return {
    iterations,
    iterationsPerSecond: ((counted.iterations - baseline.iterations) * 1000) / counted.timeMs,
    durationMs: last.timeMs,
    gcShare: gcMs / last.timeMs,
    gcPauseMsMax: Math.max(...soak.map((s) => s.gcMs)),
  };
}

/** The budgets a probe file declares, as the lowest layer above the defaults. */
const probeBudgetLayer = (name: string, spec: BudgetSpec | undefined): { source: string; spec: BudgetSpec } => ({
  source: `probe ${name} budgets.`,
  spec: spec ?? {},
});

/** Builds one probe's report entry from its child run: the analysis, or the fault that stopped it. */
export function reportProbe(
  file: string,
  run: ChildRun,
  layers: ReadonlyArray<{ source: string; spec: BudgetSpec }>,
  profiles: ProfileSummaries = { heap: null, cpu: null },
  snapshots: SnapshotFiles | null = null,
): ProbeReport {
  const name = run.name ?? basename(file);
  const resolved = resolveBudgets([probeBudgetLayer(name, run.budgets), ...layers]);
  const figures = soakFigures(run.samples);
  const common = { name, file, ...figures, process: run.process, metrics: run.output.metrics, samples: run.samples };
  const analysis = analyze(run.samples, resolved.budgets, { hasTeardown: run.hasTeardown, heapLimit: run.heapLimit });
  let fault = run.fault;
  if (!fault && resolved.problems.length > 0) fault = { kind: 'load', message: resolved.problems.join('; ') };
  let budgets: readonly BudgetResult[] = [...analysis.budgets, ...run.output.checks.map(checkProbeFigure)];
  let verdict: Verdict = verdictOf(budgets);
  if (fault?.kind === 'out-of-memory') {
    verdict = 'fail';
    budgets = [...budgets, heapLimitResult(run.heapLimit, run.samples.at(-1)?.heapUsed ?? null, fault.message)];
  } else if (fault?.kind === 'interrupted') {
    verdict = analysis.verdict === 'fail' ? 'fail' : 'inconclusive';
  } else if (fault) {
    verdict = 'error';
  }
  return {
    ...common,
    verdict,
    leak: analysis.leak,
    growth: analysis.growth,
    externalGrowth: analysis.externalGrowth,
    perItemBytes: analysis.perItemBytes,
    gcRecovery: analysis.gcRecovery,
    resources: analysis.resources,
    profiles,
    snapshots: snapshots && Object.values(snapshots).every((f) => existsSync(f)) ? snapshots : null,
    budgets,
    notes: [...analysis.notes, ...run.notes],
    fault,
  };
}

/** Soaks every probe in turn. Resolves with a (possibly partial) report; never rejects for a probe's fault. */
export async function soak(options: SoakOptions): Promise<SoakReport> {
  const startedAt = new Date().toISOString();
  const { untilDecidedMaxMs: maxMs } = options;
  const planned = planTime(options.durationMs, options.probes.length, options.warmupMs);
  const warmupMs = maxMs === undefined ? planned.warmupMs : (options.warmupMs ?? DEFAULT_WARMUP_MS);
  const windowMs = maxMs ?? planned.windowMs;
  const controller: ControllerOptions = {
    maxOldSpaceSizeMb: options.maxOldSpaceSizeMb,
    stallTimeoutMs: options.stallTimeoutMs,
    verbose: options.verbose ?? false,
    signal: options.signal,
  };
  const probes: ProbeReport[] = [];
  const outDir = resolve(options.outDir ?? DEFAULT_OUT_DIR);
  const wanted = options.profile ?? { heap: false, cpu: false };
  if (wanted.heap || wanted.cpu || options.snapshots) mkdirSync(outDir, { recursive: true });
  for (const [index, file] of options.probes.entries()) {
    if (options.signal?.aborted) break;
    const stem = join(outDir, `${index + 1}-${basename(file).replace(SCRIPT_EXTENSION, '')}`);
    const profileFiles: ProfileFiles = {
      heap: wanted.heap ? `${stem}.heapprofile` : null,
      cpu: wanted.cpu ? `${stem}.cpuprofile` : null,
    };
    const snapshots = options.snapshots ? snapshotFiles(stem) : null;
    // Without --snapshots, the snapshots that name a leak, taken only when the samples do not rule one out.
    const confirmFiles = snapshots === null ? snapshotFiles(`${stem}-leak`) : undefined;
    const run = await withRedactedSnapshots(snapshots, options.redactSnapshots ?? false, (written) =>
      runInChild(
        {
          probeFile: file,
          warmupMs,
          durationMs: windowMs,
          sampleIntervalMs: options.sampleIntervalMs,
          gcShareTarget: options.gcShareTarget,
          target: options.target,
          options: options.probeOptions ?? {},
          profiles: profileFiles,
          snapshots: written ?? null,
          evidence: leakQuestion(maxMs !== undefined, confirmFiles, 'probe'),
        },
        {
          ...controller,
          onMessage: (message) => options.onMessage?.(file, message),
          checkBudgets: (name, budgets) => resolveBudgets([probeBudgetLayer(name, budgets)]).problems,
        },
      ),
    );
    const layers = options.budgetLayers?.(run.name ?? basename(file)) ?? [];
    const named = run.windowEnd?.confirmed && confirmFiles ? confirmFiles : snapshots;
    const probe = reportProbe(file, run, layers, readProfiles(profileFiles), named);
    const { showValues } = options;
    probes.push(withLeakClusters(settleRun(probe, run, { confirmFiles, snapshots, showValues }), showValues));
  }
  const untilDecided = { ...options, untilDecidedMaxMs: maxMs };
  return assembleReport(untilDecided, startedAt, warmupMs, probes, options.probes.slice(probes.length));
}

/** The report around probe entries: versions, settings and the overall verdict. */
export function assembleReport(
  options: Pick<SoakOptions, 'version' | 'durationMs' | 'sampleIntervalMs' | 'signal'> & {
    /** A program soaked until its evidence decided: the longest it could run. */
    untilDecidedMaxMs?: number | undefined;
  },
  startedAt: string,
  warmupMs: number,
  probes: readonly ProbeReport[],
  notRun: readonly string[],
): SoakReport {
  return {
    schemaVersion: 1,
    tool: { name: 'memprobe', version: options.version },
    startedAt,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    interrupted: options.signal?.aborted ?? false,
    settings: {
      durationMs: options.untilDecidedMaxMs ?? options.durationMs,
      warmupMs,
      sampleIntervalMs: options.sampleIntervalMs,
      ...(options.untilDecidedMaxMs !== undefined ? { untilDecided: true } : {}),
    },
    verdict: overallVerdict(probes.map((p) => p.verdict)),
    probes,
    notRun,
  };
}
