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
import { IdSet } from '../heap/id-set.js';
import { pathLabels } from '../heap/labels.js';
import { retainerPath, shortestRetainers } from '../heap/paths.js';
import { readHeapSnapshot } from '../heap/reader.js';
import type { HeapSnapshot } from '../heap/snapshot.js';
import { writePrivateWith } from '../output-file.js';
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
      /** Retainer path of the leak's root (the first new object of a growing constructor on the path to the newest
       * object of the largest one): `global`, then `edge (Class)` per step. */
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
  return found
    .sort((a, b) => Number(isInternal(a.name)) - Number(isInternal(b.name)) || b.bytesGrowth - a.bytesGrowth)
    .slice(0, CENSUS_TOP);
}

/** The newest object of a class: the highest id (objects first seen in a later snapshot get higher ids). */
function newestOf(snapshot: HeapSnapshot, classes: ClassIndex, name: string): number {
  const id = classes.names.indexOf(name);
  let best = -1;
  for (let node = 0; node < snapshot.nodeCount; node++) {
    if (classes.ofNode[node] === id && (best < 0 || snapshot.nodeId[node]! > snapshot.nodeId[best]!)) best = node;
  }
  return best;
}

/**
 * The leak's root and the path to it. Starting from the newest object of the first-ranked constructor, the
 * first object on its retainer path (root side first) that is new since the first snapshot and of a growing
 * constructor is where the leak starts: a kept Buffer holds a new ArrayBuffer, a kept record holds a new Array,
 * and the holder is what to report, whichever of the two has the larger shallow size.
 */
function leakRoot(
  snapshot: HeapSnapshot,
  classes: ClassIndex,
  before: IdSet,
  found: readonly GrowingConstructor[],
): { name: string; path: string[] } | null {
  const top = found[0];
  const node = top ? newestOf(snapshot, classes, top.name) : -1;
  if (!top || node < 0) return null;
  const ephemerons = new EphemeronNames(snapshot);
  const tree = shortestRetainers(snapshot, ephemerons, undefined, [node]);
  let steps = retainerPath(snapshot, tree, node);
  if (steps.length === 0) return null;
  const names = new Set(found.map((f) => f.name));
  const className = (n: number): string => classes.names[classes.ofNode[n]!]!;
  const root = steps.findIndex((step) => !before.has(snapshot.nodeId[step.node]!) && names.has(className(step.node)));
  if (root >= 0) steps = steps.slice(0, root + 1);
  return {
    name: className(steps[steps.length - 1]!.node),
    path: pathLabels(snapshot, classes, ephemerons, steps, true),
  };
}

/** No forced GC first: writing a snapshot collects garbage itself. */
function snapshotInto(dir: string, name: string): string {
  const file = join(dir, name);
  writePrivateWith(file, (path) => writeHeapSnapshot(path));
  return file;
}

/**
 * Snapshot, `runMore(iterations)`, snapshot, compare. The snapshots go to a private temporary folder and are
 * deleted, unless `keepIn` names a folder to keep them in.
 */
export async function census(
  iterations: number,
  runMore: (count: number) => Promise<void>,
  keepIn: string | null,
): Promise<Census> {
  const dir = keepIn ?? mkdtempSync(join(tmpdir(), 'memprobe-census-'));
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
    const root = leakRoot(b, classes, new IdSet(a.nodeId), found);
    // The leak's root constructor first, then the others in their order.
    const ordered = root
      ? [...found.filter((f) => f.name === root.name), ...found.filter((f) => f.name !== root.name)]
      : found;
    return {
      status: 'done',
      iterations,
      growing: ordered,
      path: root?.path ?? null,
      files: keepIn ? [first, second] : [],
    };
  } catch (error) {
    return { status: 'error', message: (error as Error).message };
  } finally {
    if (!keepIn) rmSync(dir, { recursive: true, force: true });
  }
}
