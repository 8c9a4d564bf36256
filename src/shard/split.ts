/**
 * Sharding a check across CI runners: parse `--shard i/n` and share the runs (probes, programs, loads) out
 * by their expected time. Pure: the same runs give the same shares on every runner, which is what lets n
 * machines that never talk to each other each pick a different part of one check.
 */

/** Which share this process runs: `index` of `count`, 1-based as typed (`--shard 2/3`). */
export interface ShardSpec {
  readonly index: number;
  readonly count: number;
}

export type ParsedShard =
  { readonly ok: true; readonly shard: ShardSpec } | { readonly ok: false; readonly problem: string };

/** Most shards accepted: far above any CI matrix, low enough that a typo (`1/300000`) is caught. */
export const MAX_SHARDS = 256;

/** `2/3` -> { index: 2, count: 3 }; 0/3, 4/3, 1/0, x, 1.5/3 are refused with the reason. */
export function parseShard(text: string): ParsedShard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!match) return { ok: false, problem: `--shard: '${text}' is not i/n (e.g. --shard 2/3)` };
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || count > MAX_SHARDS)
    return { ok: false, problem: `--shard: the shard count must be 1..${MAX_SHARDS} (got ${text})` };
  if (index < 1 || index > count) return { ok: false, problem: `--shard: the index must be 1..${count} (got ${text})` };
  return { ok: true, shard: { index, count } };
}

/** One unit of work a shard can take: a probe file, a program or a load run of the check. */
export interface ShardRun {
  readonly kind: 'probe' | 'program' | 'load';
  /** The run's position in the whole check (probes, then programs, then loads): reports are put back in this order. */
  readonly index: number;
  /** Stable across runners (a path relative to the config, a command, `load[2]`): the tie-break. */
  readonly key: string;
  /** Expected wall time, ms. */
  readonly expectedMs: number;
}

export interface ShardPlan {
  /** The runs of each shard (shard i is shares[i - 1]), each in check order. */
  readonly shares: readonly (readonly ShardRun[])[];
  /** Expected time of each shard, ms. */
  readonly expectedMs: readonly number[];
}

/** Longest first; equal times by key, then by index, so every runner sorts identically. */
function longestFirst(a: ShardRun, b: ShardRun): number {
  if (a.expectedMs !== b.expectedMs) return b.expectedMs - a.expectedMs;
  if (a.key !== b.key) return a.key < b.key ? -1 : 1;
  return a.index - b.index;
}

/**
 * Longest-processing-time first: each run, longest first, goes to the shard with the least expected time so
 * far (the lowest-numbered on a tie). Its longest shard is at most 4/3 of the best possible split, and equal
 * runs (the usual check: probes sharing `duration`) are dealt round-robin, so shares differ by at most one run.
 */
export function planShards(runs: readonly ShardRun[], count: number): ShardPlan {
  const shares: ShardRun[][] = Array.from({ length: count }, () => []);
  const totals = new Array<number>(count).fill(0);
  for (const run of [...runs].sort(longestFirst)) {
    let least = 0;
    for (let i = 1; i < count; i++) if (totals[i]! < totals[least]!) least = i;
    shares[least]!.push(run);
    totals[least]! += run.expectedMs;
  }
  return { shares: shares.map((share) => share.sort((a, b) => a.index - b.index)), expectedMs: totals };
}

/** How even a plan is: the longest shard over the mean shard (1 = perfectly even). */
export function imbalance(plan: ShardPlan): number {
  const total = plan.expectedMs.reduce((sum, ms) => sum + ms, 0);
  if (total === 0) return 1;
  return Math.max(...plan.expectedMs) / (total / plan.expectedMs.length);
}

export type LoadShare =
  | { readonly ok: true; readonly rate: number; readonly users: readonly number[] }
  | { readonly ok: false; readonly problem: string };

/**
 * `memprobe load --shard i/n`: this generator's part of the load. Open model: rate / n (the n generators
 * together send the whole rate). Closed model: each step's users dealt out, the first `users % n` shards
 * taking one more, so the shares add up to the step exactly. WebSocket fan-out and the embedded service are
 * refused: each generator would be measuring its own clients or its own server, not parts of one whole.
 */
export function loadShare(
  load: {
    readonly mode: 'open' | 'closed' | 'ws';
    readonly embedded: boolean;
    readonly rate: number;
    readonly users: readonly number[];
  },
  shard: ShardSpec,
): LoadShare {
  const label = `--shard ${shard.index}/${shard.count}`;
  if (load.mode === 'ws')
    return {
      ok: false,
      problem: `${label}: a WebSocket fan-out cannot be split (the last client of a broadcast would span generators)`,
    };
  if (load.embedded)
    return {
      ok: false,
      problem: `${label}: needs --url (one server that every generator loads); without it each would start its own`,
    };
  if (load.mode === 'open') return { ok: true, rate: load.rate / shard.count, users: load.users };
  const tooFew = load.users.find((u) => u < shard.count);
  if (tooFew !== undefined)
    return {
      ok: false,
      problem:
        `${label}: a step of ${tooFew} user${tooFew === 1 ? '' : 's'} cannot give each of ${shard.count} ` +
        'shards one',
    };
  const users = load.users.map((u) => Math.floor(u / shard.count) + (shard.index <= u % shard.count ? 1 : 0));
  return { ok: true, rate: load.rate, users };
}
