/**
 * Joins the reports of a sharded check into the soak report of one run: every probe, program and load in
 * the order the whole check would have run them, its verdict from theirs. Pure; the CLI adds the history
 * comparison and renders the four reports from the result exactly as `memprobe check` does.
 */
import { overallVerdict } from '../core/verdict.js';
import type { LoadReport } from '../load/types.js';
import type { CheckHistory, CheckReport, CheckShard } from '../engine/check-report.js';
import type { SystemInfo } from '../engine/system-info.js';
import type { ProbeReport, SoakReport } from '../types.js';
import type { Sourced } from './validate.js';

export interface MergedCheck {
  readonly soak: SoakReport;
  readonly system: SystemInfo;
  readonly commit: string | null;
  readonly configFile: string | null;
  readonly suites: Readonly<Record<string, readonly string[]>>;
  readonly loads: readonly LoadReport[];
  /** A lone unsharded report keeps its own comparison when no new history is given. */
  readonly history: CheckHistory | undefined;
  /** A lone unsharded report keeps its own (null for a whole check): merging it changes nothing. */
  readonly merged: CheckReport['merged'] | null;
}

/** Pairs each report of a shard with its place in the whole check (probes then programs, then loads). */
function placed<T>(
  shard: CheckShard | undefined,
  items: readonly T[],
  kinds: readonly string[],
  offset: number,
): { at: number; item: T }[] {
  const refs = shard?.runs.filter((r) => kinds.includes(r.kind)) ?? [];
  // An interrupted shard has fewer reports than runs: the ones it made are the first ones.
  return items.map((item, i) => ({ at: refs[i]?.index ?? offset + i, item }));
}

const byPlace = <T>(parts: { at: number; item: T }[]): T[] => parts.sort((a, b) => a.at - b.at).map((p) => p.item);

function earliest(times: readonly string[]): string {
  return times.reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a));
}

/** The reports come validated (one check, every shard once) and sorted by shard index. */
export function mergeCheckReports(reports: readonly Sourced<CheckReport>[]): MergedCheck {
  const first = reports[0]!.report;
  const probes: { at: number; item: ProbeReport }[] = [];
  const loads: { at: number; item: LoadReport }[] = [];
  for (const { report } of reports) {
    probes.push(...placed(report.shard, report.probes, ['probe', 'program'], probes.length));
    loads.push(...placed(report.shard, report.load ?? [], ['load'], Number.MAX_SAFE_INTEGER / 2 + loads.length));
  }
  const ordered = byPlace(probes);
  // The same key order as runner/soak.ts assembleReport, so a lone report renders byte for byte as before.
  const soak: SoakReport = {
    schemaVersion: 1,
    tool: first.tool,
    startedAt: earliest(reports.map((r) => r.report.startedAt)),
    node: first.node,
    platform: first.platform,
    interrupted: reports.some((r) => r.report.interrupted),
    settings: first.settings,
    verdict: overallVerdict(ordered.map((p) => p.verdict)),
    probes: ordered,
    notRun: reports.flatMap((r) => r.report.notRun),
  };
  const lone = reports.length === 1 && first.shard === undefined;
  return {
    soak,
    system: first.system,
    commit: first.commit,
    configFile: first.config.file,
    suites: first.config.suites,
    loads: byPlace(loads),
    history: lone ? first.history : undefined,
    merged: lone ? (first.merged ?? null) : { shards: reports.length, configHash: first.shard?.configHash ?? null },
  };
}
