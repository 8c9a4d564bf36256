/**
 * What `memprobe merge` accepts, decided before anything is merged: complete, readable reports of one kind,
 * and for shards the whole set (each index once) of one check (same config hash, same commit). Pure: the
 * files arrive as text, so a truncated file is a literal string in a unit test.
 */
import type { CheckReport } from '../engine/check-report.js';
import type { LoadReport } from '../load/types.js';

/** One input as the CLI read it: its text, or why it could not be read. */
export type MergeInput =
  { readonly source: string; readonly text: string } | { readonly source: string; readonly error: string };

export interface Sourced<T> {
  readonly source: string;
  readonly report: T;
}

export type MergeSet =
  | { readonly status: 'check'; readonly reports: readonly Sourced<CheckReport>[] }
  | { readonly status: 'load'; readonly reports: readonly Sourced<LoadReport>[] }
  | { readonly status: 'refused'; readonly reason: string };

const refused = (reason: string): MergeSet => ({ status: 'refused', reason });

type Parsed =
  | { readonly kind: 'check'; readonly report: CheckReport }
  | { readonly kind: 'load'; readonly report: LoadReport }
  | { readonly kind: 'bad'; readonly reason: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A `shard` field as memprobe writes it: whole numbers 1 <= index <= count (and a config hash on a check). */
function badShard(shard: unknown, check: boolean): boolean {
  if (shard === undefined) return false;
  if (!isObject(shard) || !Number.isInteger(shard.index) || !Number.isInteger(shard.count)) return true;
  const { index, count } = shard as { index: number; count: number };
  return index < 1 || index > count || (check && (typeof shard.configHash !== 'string' || !Array.isArray(shard.runs)));
}

function parse(text: string): Parsed {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'bad', reason: text.trim() === '' ? 'empty file' : 'not complete JSON (truncated?)' };
  }
  if (!isObject(value) || !isObject(value.tool) || value.tool.name !== 'memprobe')
    return { kind: 'bad', reason: 'not a memprobe report' };
  if (value.schemaVersion !== 1)
    return { kind: 'bad', reason: `schemaVersion ${String(value.schemaVersion)} is not 1` };
  if (badShard(value.shard, value.kind === 'check'))
    return { kind: 'bad', reason: 'its shard field is not { index, count, ... } with 1 <= index <= count' };
  if (value.kind === 'check') {
    if (!Array.isArray(value.probes) || !isObject(value.settings))
      return { kind: 'bad', reason: 'a check report without probes or settings' };
    return { kind: 'check', report: value as unknown as CheckReport };
  }
  if (typeof value.mode === 'string' && isObject(value.latency) && Array.isArray(value.steps))
    return { kind: 'load', report: value as unknown as LoadReport };
  return { kind: 'bad', reason: 'neither a check report.json nor a memprobe load --json report' };
}

/** Indices 1..count each exactly once, else the first problem. */
export function checkShardSet(
  sources: readonly string[],
  shards: readonly { index: number; count: number }[],
): string | null {
  const count = shards[0]?.count ?? 0;
  const other = shards.findIndex((s) => s.count !== count);
  if (other !== -1)
    return (
      `${sources[other]} is shard ${shards[other]!.index}/${shards[other]!.count}, ` +
      `${sources[0]} is one of ${count}`
    );
  const seen = new Map<number, string>();
  for (const [i, shard] of shards.entries()) {
    const first = seen.get(shard.index);
    if (first !== undefined) return `duplicate shard ${shard.index}/${count}: ${first} and ${sources[i]}`;
    seen.set(shard.index, sources[i]!);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  return missing.length > 0
    ? `missing shard${missing.length === 1 ? '' : 's'} ${missing.map((i) => `${i}/${count}`).join(', ')}`
    : null;
}

function checkSet(reports: readonly Sourced<CheckReport>[]): MergeSet {
  const unsharded = reports.find((r) => r.report.shard === undefined);
  if (unsharded !== undefined) {
    return reports.length === 1
      ? { status: 'check', reports }
      : refused(`${unsharded.source} is not a shard (no shard field): a whole check merges only on its own`);
  }
  const first = reports[0]!;
  // Told apart before the hash (which covers the count too): `shard 2/4 among shards of 3` says what went wrong.
  const otherCount = reports.find((r) => r.report.shard!.count !== first.report.shard!.count);
  if (otherCount)
    return refused(checkShardSet([first.source, otherCount.source], [first.report.shard!, otherCount.report.shard!])!);
  const otherConfig = reports.find((r) => r.report.shard!.configHash !== first.report.shard!.configHash);
  if (otherConfig)
    return refused(
      `shards of different configs: ${first.source} (${first.report.shard!.configHash}) and ${otherConfig.source}` +
        ` (${otherConfig.report.shard!.configHash})`,
    );
  const otherCommit = reports.find((r) => r.report.commit !== first.report.commit);
  if (otherCommit)
    return refused(
      `shards of different commits: ${first.source} (${first.report.commit ?? 'none'}) and ${otherCommit.source}` +
        ` (${otherCommit.report.commit ?? 'none'})`,
    );
  const problem = checkShardSet(
    reports.map((r) => r.source),
    reports.map((r) => r.report.shard!),
  );
  return problem === null
    ? { status: 'check', reports: [...reports].sort((a, b) => a.report.shard!.index - b.report.shard!.index) }
    : refused(problem);
}

/** What must agree for load reports to be parts of one load: the scenario, its timing and its thresholds. */
function loadScenario(r: LoadReport): string {
  const { rate: _rate, users: _users, connections: _connections, ...settings } = r.settings;
  return JSON.stringify({
    mode: r.mode,
    url: r.target.url,
    settings,
    steps: r.steps.length,
    thresholds: r.thresholds.map((t) => t.threshold),
    ops: r.operations.map((o) => o.name),
  });
}

function loadSet(reports: readonly Sourced<LoadReport>[]): MergeSet {
  const noHdr = reports.find((r) => !isObject(r.report.hdr));
  if (noHdr)
    return refused(
      `${noHdr.source} carries no HDR histograms (` +
        `${noHdr.report.mode === 'ws' ? 'a WebSocket fan-out cannot be merged' : 'written by an older memprobe'})`,
    );
  const first = reports[0]!;
  const other = reports.find((r) => loadScenario(r.report) !== loadScenario(first.report));
  if (other)
    return refused(
      `${first.source} and ${other.source} are not the same load (mode, URL, duration,` +
        ` warm-up, steps, scenario or thresholds differ)`,
    );
  const sharded = reports.filter((r) => r.report.shard !== undefined);
  if (sharded.length === 0) return { status: 'load', reports };
  if (sharded.length < reports.length)
    return refused(
      `${reports.find((r) => r.report.shard === undefined)!.source} is not a shard, ${sharded[0]!.source} is`,
    );
  const problem = checkShardSet(
    reports.map((r) => r.source),
    reports.map((r) => r.report.shard!),
  );
  return problem === null
    ? { status: 'load', reports: [...reports].sort((a, b) => a.report.shard!.index - b.report.shard!.index) }
    : refused(problem);
}

/** Reads, identifies and checks every input; the first problem refuses the whole merge. */
export function validateMerge(inputs: readonly MergeInput[]): MergeSet {
  if (inputs.length === 0) return refused('nothing to merge: give report.json files or folders holding one');
  const checks: Sourced<CheckReport>[] = [];
  const loads: Sourced<LoadReport>[] = [];
  for (const input of inputs) {
    if ('error' in input) return refused(`${input.source}: ${input.error}`);
    const parsed = parse(input.text);
    if (parsed.kind === 'bad') return refused(`${input.source}: ${parsed.reason}`);
    if (parsed.kind === 'check') checks.push({ source: input.source, report: parsed.report });
    else loads.push({ source: input.source, report: parsed.report });
  }
  if (checks.length > 0 && loads.length > 0)
    return refused(
      `${checks[0]!.source} is a check report and ${loads[0]!.source} a load report: merge one kind at a time`,
    );
  return checks.length > 0 ? checkSet(checks) : loadSet(loads);
}
