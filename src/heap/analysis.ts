/**
 * One entry point for the graph work on a snapshot: self sizes as DevTools shows them, dominators, retained
 * sizes and classes. `rules: 'memlab'` reproduces memlab 2.0.5's retained sizes instead (see memlab-rules.ts).
 */
import { attributeOwnedSizes } from './owned-sizes.js';
import { classIndex, type ClassIndex } from './classes.js';
import { computeDominators, type Dominators } from './dominators.js';
import { EphemeronNames, essentialEdges } from './edge-rules.js';
import { computeMemlabDominators } from './memlab-rules.js';
import { phase, type Phases } from '../core/phases.js';
import type { HeapSnapshot } from './snapshot.js';
import { Workspace } from './workspace.js';

/** Whose retained sizes to reproduce: Chrome DevTools' (default) or memlab 2.0.5's. */
export type RetainerRules = 'devtools' | 'memlab';

export interface HeapAnalysis {
  readonly snapshot: HeapSnapshot;
  readonly rules: RetainerRules;
  /** DevTools: owned internal arrays count for their owner (rewritten in the snapshot); memlab: as V8 wrote them. */
  readonly selfSize: Float64Array;
  readonly dominators: Dominators;
  readonly classes: ClassIndex;
  /** Working arrays the next passes (aggregation, paths) can reuse. */
  readonly workspace: Workspace;
  /** The WeakMap entry names, found once for the retaining edges and again of use for the paths. */
  readonly ephemerons: EphemeronNames;
}

/**
 * @example
 * ```ts
 * const analysis = analyzeHeap(readHeapSnapshot('app.heapsnapshot'));
 * analysis.dominators.retained[analysis.snapshot.rootOrdinal]; // every byte in the snapshot
 * ```
 */
export function analyzeHeap(
  snapshot: HeapSnapshot,
  options: { rules?: RetainerRules; phases?: Phases | undefined } = {},
): HeapAnalysis {
  const rules = options.rules ?? 'devtools';
  const { phases } = options;
  const workspace = new Workspace(snapshot.nodeCount, snapshot.takeSpareMemory());
  const ephemerons = new EphemeronNames(snapshot);
  if (rules === 'memlab') {
    if (snapshot.sizesAttributed) throw new Error('memlab rules need the self sizes V8 wrote: read the snapshot again');
    const dominators = phase(phases, 'dominators (memlab rules)', () => computeMemlabDominators(snapshot, workspace));
    const classes = phase(phases, 'classes', () => classIndex(snapshot));
    return { snapshot, rules, selfSize: snapshot.nodeSelfSize, dominators, classes, workspace, ephemerons };
  }
  const selfSize = phase(phases, 'owned sizes', () => attributeOwnedSizes(snapshot, { inPlace: true, workspace }));
  const essential = phase(phases, 'retaining edges', () => essentialEdges(snapshot, ephemerons, workspace));
  const dominators = phase(phases, 'dominators', () =>
    computeDominators(snapshot, essential, selfSize, undefined, workspace),
  );
  const classes = phase(phases, 'classes', () => classIndex(snapshot, workspace));
  return { snapshot, rules, selfSize, dominators, classes, workspace, ephemerons };
}
