/**
 * Memory a heap snapshot needs to be analysed, checked before reading it: a snapshot bigger than the memory left
 * fails up front with the figure needed, instead of minutes of reading and then the OOM killer. The estimate is
 * from the header's counts, fitted to the peak RSS measured in docs/guides/analyse-a-snapshot.md (Big snapshots:
 * 98-114 MiB per million nodes at ~2.6 edges per node, 3.2 GB for 32.6M nodes and 85.3M edges): the node columns
 * and the analysis's working arrays per node, the edge columns per edge, plus the process itself.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { formatBytes } from '../core/format.js';
import { NotEnoughMemoryError } from '../errors.js';

/** Bytes per node: node columns (21-22 B) and the analysis's arrays (~40 B: dominators, retained sizes, paths). */
export const BYTES_PER_NODE = 64;
/** Bytes per edge: the edge columns (9 B) and the retaining-edge index built from them. */
export const BYTES_PER_EDGE = 14;
/** The reading process itself, before any snapshot. */
export const PROCESS_BYTES = 64 * 1024 * 1024;
/** Bytes per node of a snapshot whose ids only are read (BASE and TARGET of the leak method). */
const BYTES_PER_ID = 4;
/** The header is at the file's start; the counts are in its first bytes. */
const HEADER_BYTES = 64 * 1024;

export interface SnapshotCounts {
  readonly file: string;
  readonly nodes: number;
  readonly edges: number;
}

/** The header's node and edge counts, or null when the start of the file does not hold them (the reader says why). */
export function snapshotCounts(file: string): SnapshotCounts | null {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    const head = Buffer.alloc(HEADER_BYTES);
    const text = head.toString('latin1', 0, readSync(fd, head, 0, HEADER_BYTES, 0));
    const nodes = /"node_count"\s*:\s*(\d+)/.exec(text)?.[1];
    const edges = /"edge_count"\s*:\s*(\d+)/.exec(text)?.[1];
    return nodes === undefined || edges === undefined ? null : { file, nodes: Number(nodes), edges: Number(edges) };
  } finally {
    closeSync(fd);
  }
}

/** Estimated peak memory to analyse `full` in full, with the ids of `idsOnly` held beside it. */
export function bytesNeeded(full: SnapshotCounts, idsOnly: readonly SnapshotCounts[] = []): number {
  const ids = idsOnly.reduce((sum, c) => sum + c.nodes * BYTES_PER_ID, 0);
  return PROCESS_BYTES + full.nodes * BYTES_PER_NODE + full.edges * BYTES_PER_EDGE + ids;
}

const readNumber = (path: string): number | null => {
  try {
    const text = readFileSync(path, 'utf8').trim();
    return /^\d+$/.test(text) ? Number(text) : null;
  } catch {
    return null;
  }
};

/**
 * Memory this process can still take: the system's MemAvailable, or less when its cgroup (a container, a CI
 * job's limit) has less left. Null where neither can be read (not Linux): then nothing is refused.
 */
export function availableBytes(): number | null {
  const candidates: number[] = [];
  try {
    const kb = /^MemAvailable:\s+(\d+) kB$/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1];
    if (kb !== undefined) candidates.push(Number(kb) * 1024);
  } catch {
    // not Linux
  }
  try {
    const lines = readFileSync('/proc/self/cgroup', 'utf8').split('\n');
    const v2 = lines.find((l) => l.startsWith('0::'))?.slice(3);
    const v1 = lines.find((l) => /^\d+:memory:/.test(l))?.replace(/^\d+:memory:/, '');
    const pairs: Array<[string, string]> = [];
    if (v2 !== undefined) pairs.push([`/sys/fs/cgroup${v2}/memory.max`, `/sys/fs/cgroup${v2}/memory.current`]);
    if (v1 !== undefined)
      pairs.push([
        `/sys/fs/cgroup/memory${v1}/memory.limit_in_bytes`,
        `/sys/fs/cgroup/memory${v1}/memory.usage_in_bytes`,
      ]);
    for (const [max, current] of pairs) {
      const limit = readNumber(max);
      const used = readNumber(current);
      // v1 reports "no limit" as a huge number: MemAvailable is then the smaller one anyway.
      if (limit !== null && used !== null) candidates.push(Math.max(0, limit - used));
    }
  } catch {
    // no cgroup information
  }
  return candidates.length === 0 ? null : Math.min(...candidates);
}

/**
 * Refuses, before reading, a snapshot that needs more memory than is left: one line with both figures.
 * `available` defaults to what the system and the cgroup leave (tests pass a figure).
 */
export function checkMemoryFor(
  full: string,
  idsOnly: readonly string[] = [],
  available: number | null = availableBytes(),
): void {
  const counts = snapshotCounts(full);
  if (counts === null || available === null) return;
  const others = idsOnly.map(snapshotCounts).filter((c): c is SnapshotCounts => c !== null);
  const needed = bytesNeeded(counts, others);
  if (needed <= available) return;
  throw new NotEnoughMemoryError(
    `${full} needs about ${formatBytes(needed)} of memory to analyse (${counts.nodes} nodes, ` +
      `${counts.edges} edges) and ${formatBytes(available)} is available: ` +
      'free memory or analyse it on a bigger machine',
    needed,
    available,
  );
}
