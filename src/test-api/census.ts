/**
 * Which constructors grew with the iterations, after a failed check: a heap snapshot, more iterations, a second
 * snapshot, and the live count of each constructor compared between the two (the heap engine of `memprobe diff`,
 * in process). `v8.queryObjects` would be cheaper but counts one given constructor at a time, and its `summary`
 * format throws on some Node internals (URLSearchParamsIterator, Node 20-26), so it cannot list what grew.
 * The retainer path of a new object of the top constructor comes from the second snapshot.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { classIndex, type ClassIndex } from '../heap/classes.js';
import { EphemeronNames } from '../heap/edge-rules.js';
import { pathLabels } from '../heap/labels.js';
import { retainerPath, shortestRetainers } from '../heap/paths.js';
import { readHeapSnapshot } from '../heap/reader.js';
import type { HeapSnapshot } from '../heap/snapshot.js';
import { createPrivateFile } from '../private-file.js';
import { CENSUS_MIN_PER_ITERATION, CENSUS_TOP } from './constants.js';

/** One constructor whose live count grew between the two snapshots. */
export interface GrowingConstructor {
  readonly name: string;
  /** Live objects in the second snapshot minus the first. */
  readonly countGrowth: number;
  readonly perIteration: number;
  /** Growth of their own (shallow) size, bytes. */
  readonly bytesGrowth: number;
}

export type Census =
  | {
      readonly status: 'done';
      readonly iterations: number;
      readonly growing: readonly GrowingConstructor[];
      /** Retainer path of the newest object of the top constructor: `global`, then `edge (Class)` per step. */
      readonly path: readonly string[] | null;
      /** The snapshots, when kept (`snapshots: 'on-fail'`). */
      readonly files: readonly string[];
    }
  | { readonly status: 'error'; readonly message: string };

interface ClassTotals {
  readonly count: Map<string, number>;
  readonly bytes: Map<string, number>;
}

function totals(snapshot: HeapSnapshot, classes: ClassIndex): ClassTotals {
  const count = new Map<string, number>();
  const bytes = new Map<string, number>();
  for (let node = 0; node < snapshot.nodeCount; node++) {
    const name = classes.names[classes.ofNode[node]!]!;
    count.set(name, (count.get(name) ?? 0) + 1);
    bytes.set(name, (bytes.get(name) ?? 0) + snapshot.nodeSelfSize[node]!);
  }
  return { count, bytes };
}

/** Constructors of the program come first (a leaked Session matters more than the strings it holds). */
const isInternal = (name: string): boolean => name.startsWith('(') || name.startsWith('system / ');

function growing(before: ClassTotals, after: ClassTotals, iterations: number): GrowingConstructor[] {
  const found: GrowingConstructor[] = [];
  for (const [name, count] of after.count) {
    const countGrowth = count - (before.count.get(name) ?? 0);
    if (countGrowth < Math.max(1, iterations * CENSUS_MIN_PER_ITERATION)) continue;
    const bytesGrowth = (after.bytes.get(name) ?? 0) - (before.bytes.get(name) ?? 0);
    found.push({ name, countGrowth, perIteration: countGrowth / iterations, bytesGrowth });
  }
  return found.sort((a, b) => Number(isInternal(a.name)) - Number(isInternal(b.name)) || b.bytesGrowth - a.bytesGrowth).slice(0, CENSUS_TOP);
}

/** The newest object (highest id: V8 numbers objects in allocation order) of a class, not present before. */
function newestOf(snapshot: HeapSnapshot, classes: ClassIndex, name: string): number {
  const id = classes.names.indexOf(name);
  let best = -1;
  for (let node = 0; node < snapshot.nodeCount; node++) {
    if (classes.ofNode[node] === id && (best < 0 || snapshot.nodeId[node]! > snapshot.nodeId[best]!)) best = node;
  }
  return best;
}

function pathTo(snapshot: HeapSnapshot, classes: ClassIndex, node: number): string[] | null {
  const ephemerons = new EphemeronNames(snapshot);
  const tree = shortestRetainers(snapshot, ephemerons, undefined, [node]);
  const steps = retainerPath(snapshot, tree, node);
  return steps.length > 0 ? pathLabels(snapshot, classes, ephemerons, steps, true) : null;
}

/** No forced GC first: writing a snapshot collects garbage itself. */
function snapshotInto(dir: string, name: string): string {
  const file = join(dir, name);
  createPrivateFile(file);
  writeHeapSnapshot(file);
  return file;
}

/**
 * Snapshot, `runMore(iterations)`, snapshot, compare. The snapshots go to a private temporary folder and are
 * deleted, unless `keepIn` names a folder to keep them in.
 */
export async function census(iterations: number, runMore: (count: number) => Promise<void>, keepIn: string | null): Promise<Census> {
  const dir = keepIn ?? mkdtempSync(join(tmpdir(), 'memprobe-test-'));
  if (keepIn) mkdirSync(keepIn, { recursive: true });
  const stamp = `${process.pid}-${Date.now()}`;
  try {
    const first = snapshotInto(dir, `leak-${stamp}-before.heapsnapshot`);
    await runMore(iterations);
    const second = snapshotInto(dir, `leak-${stamp}-after.heapsnapshot`);
    const a = readHeapSnapshot(first);
    const before = totals(a, classIndex(a));
    const b = readHeapSnapshot(second);
    const classes = classIndex(b);
    const found = growing(before, totals(b, classes), iterations);
    const top = found[0];
    const node = top ? newestOf(b, classes, top.name) : -1;
    const path = node >= 0 ? pathTo(b, classes, node) : null;
    return { status: 'done', iterations, growing: found, path, files: keepIn ? [first, second] : [] };
  } catch (error) {
    return { status: 'error', message: (error as Error).message };
  } finally {
    if (!keepIn) rmSync(dir, { recursive: true, force: true });
  }
}
