/**
 * Two snapshots, DevTools' "Comparison" view: per class, the objects that are new (id only in TARGET) and
 * deleted (id only in BASE), with their sizes. As in DevTools, objects of zero self size are left out and
 * owned internal arrays count for their owner.
 */
import { classIndex } from './classes.js';
import { IdSet } from './id-set.js';
import { attributeOwnedSizes } from './owned-sizes.js';
import type { HeapSnapshot } from './snapshot.js';

export interface ClassChange {
  readonly name: string;
  readonly newCount: number;
  readonly deletedCount: number;
  readonly countDelta: number;
  readonly addedSize: number;
  readonly removedSize: number;
  readonly sizeDelta: number;
}

export interface ComparisonReport {
  readonly kind: 'comparison';
  readonly files: { readonly base: string; readonly target: string };
  readonly totals: {
    readonly baseObjects: number;
    readonly targetObjects: number;
    readonly baseSize: number;
    readonly targetSize: number;
    readonly newCount: number;
    readonly deletedCount: number;
    readonly addedSize: number;
    readonly removedSize: number;
  };
  /** Classes with any new or deleted object, largest size growth first. */
  readonly classes: readonly ClassChange[];
}

/** What the comparison keeps of a snapshot: id, class and size of every object with a self size. */
export interface ObjectTable {
  readonly file: string;
  readonly ids: Uint32Array;
  readonly classOf: Uint32Array;
  readonly sizes: Float64Array;
  readonly classNames: readonly string[];
}

/** Reduces a snapshot to its object table, so the full snapshot can be dropped before the next one is read. */
export function objectTable(snapshot: HeapSnapshot): ObjectTable {
  const sizes = attributeOwnedSizes(snapshot, { inPlace: true });
  const classes = classIndex(snapshot);
  let count = 0;
  for (let node = 0; node < snapshot.nodeCount; node++) if (sizes[node] !== 0) count++;
  const ids = new Uint32Array(count);
  const classOf = new Uint32Array(count);
  const kept = new Float64Array(count);
  let i = 0;
  for (let node = 0; node < snapshot.nodeCount; node++) {
    if (sizes[node] === 0) continue;
    ids[i] = snapshot.nodeId[node]!;
    classOf[i] = classes.ofNode[node]!;
    kept[i++] = sizes[node]!;
  }
  return { file: snapshot.file, ids, classOf, sizes: kept, classNames: classes.names };
}

interface Tally {
  newCount: number;
  deletedCount: number;
  addedSize: number;
  removedSize: number;
}

/**
 * @example
 * ```ts
 * const report = compareSnapshots(objectTable(readHeapSnapshot(a)), objectTable(readHeapSnapshot(b)));
 * ```
 */
export function compareSnapshots(base: ObjectTable, target: ObjectTable): ComparisonReport {
  const baseIds = new IdSet(base.ids);
  const targetIds = new IdSet(target.ids);
  const tallies = new Map<string, Tally>();
  const tally = (name: string): Tally => {
    let t = tallies.get(name);
    if (!t) tallies.set(name, (t = { newCount: 0, deletedCount: 0, addedSize: 0, removedSize: 0 }));
    return t;
  };
  let newCount = 0;
  let deletedCount = 0;
  let addedSize = 0;
  let removedSize = 0;
  let baseSize = 0;
  let targetSize = 0;
  for (let i = 0; i < target.ids.length; i++) {
    targetSize += target.sizes[i]!;
    if (baseIds.has(target.ids[i]!)) continue;
    const t = tally(target.classNames[target.classOf[i]!]!);
    t.newCount++;
    t.addedSize += target.sizes[i]!;
    newCount++;
    addedSize += target.sizes[i]!;
  }
  for (let i = 0; i < base.ids.length; i++) {
    baseSize += base.sizes[i]!;
    if (targetIds.has(base.ids[i]!)) continue;
    const t = tally(base.classNames[base.classOf[i]!]!);
    t.deletedCount++;
    t.removedSize += base.sizes[i]!;
    deletedCount++;
    removedSize += base.sizes[i]!;
  }
  const classes = [...tallies.entries()]
    .map(([name, t]) => ({
      name,
      newCount: t.newCount,
      deletedCount: t.deletedCount,
      countDelta: t.newCount - t.deletedCount,
      addedSize: t.addedSize,
      removedSize: t.removedSize,
      sizeDelta: t.addedSize - t.removedSize,
    }))
    .sort(
      (a, b) =>
        b.sizeDelta - a.sizeDelta || b.countDelta - a.countDelta || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    );
  return {
    kind: 'comparison',
    files: { base: base.file, target: target.file },
    totals: {
      baseObjects: base.ids.length,
      targetObjects: target.ids.length,
      baseSize,
      targetSize,
      newCount,
      deletedCount,
      addedSize,
      removedSize,
    },
    classes,
  };
}
