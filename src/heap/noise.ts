/**
 * What the leak method ignores by default in a Node process: objects V8 and Node create on their own between
 * two snapshots (compiled code, feedback, shapes, internal arrays, system objects), objects only the VM's
 * own structures reach (code, scripts, feedback vectors), strings in V8's string table (literals, property
 * names: code shares them; but not those in a Map's or Set's table, which V8 14 internalizes), and objects that
 * are only alive
 * because a stack frame or handle scope held them while the snapshot was taken.
 * Internal arrays are not leaks themselves, but they still lead to the user objects they hold: a Map's
 * grown backing table is skipped and the entries it holds are reported. Node's own bookkeeping classes are
 * treated the same way: a new timer list is skipped, a leaked Timeout in it is not.
 */
import type { PathStep } from './paths.js';
import type { HeapSnapshot } from './snapshot.js';

/** Roots that hold objects only for the moment (or for the VM itself), never for the program. */
const TRANSIENT_ROOTS = new Set([
  '(Stack roots)',
  '(Handle scope)',
  '(Compilation cache)',
  '(Internalized strings)',
  '(External strings)',
  '(Startup object cache)',
  '(Shared heap object cache)',
  '(Builtins)',
  '(Bootstrapper)',
  '(Debugger)',
  '(Relocatable)',
  '(Code flusher)',
  '(Read-only roots)',
  '(Smi roots)',
]);

/**
 * Classes of Node's own bookkeeping that come and go with the program's use of the API (one timer list per duration).
 */
const NODE_INTERNAL_CLASSES = new Set(['TimersList']);

/**
 * V8 internals that hold user data: a closure's variables, and an ES module's (from Node 22 on, the shortest
 * path to a module-level `const` goes through its SourceTextModule rather than an exported function).
 */
const USER_DATA_SYSTEM = ['system / Context', 'system / SourceTextModule'];

/** Leak-method states of a node (Uint8Array by ordinal): new in TARGET and alive in FINAL, a candidate or noise. */
export const MAY_LEAK = 1;
export const NEW_NOISE = 2;

/** Why an object is ignored; `null` when it may be a leak. */
export type NoiseReason =
  | 'internal type'
  | 'system object'
  | 'node internal'
  | 'internalized string'
  | 'transient root'
  | 'owned by code'
  | 'weakly held'
  | 'tiny cluster'
  | null;

export class NoiseFilter {
  private readonly snapshot: HeapSnapshot;
  private readonly internalType: Uint8Array;
  private readonly systemName: Uint8Array;
  private readonly transient: Uint8Array;
  private readonly nodeInternal: Uint8Array;
  /** Strings in V8's string table: literals and property names, shared with code. */
  private readonly internalized: Uint8Array;

  constructor(snapshot: HeapSnapshot) {
    this.snapshot = snapshot;
    const k = snapshot.kinds;
    this.internalType = new Uint8Array(snapshot.nodeTypes.length);
    for (const code of [k.hidden, k.code, k.synthetic, k.objectShape, k.array, k.number])
      if (code >= 0) this.internalType[code] = 1;
    // Per string, filled on first use from the bytes: 0 unknown.
    this.systemName = new Uint8Array(snapshot.strings.length);
    this.transient = new Uint8Array(snapshot.strings.length);
    this.nodeInternal = new Uint8Array(snapshot.strings.length);
    this.internalized = new Uint8Array(snapshot.nodeCount);
    const { firstEdge, edgeTo, nodeType, nodeName } = snapshot;
    for (let node = 0; node < snapshot.nodeCount; node++) {
      if (nodeType[node] !== k.synthetic || !snapshot.strings.is(nodeName[node]!, '(Internalized strings)')) continue;
      for (let e = firstEdge[node]!, end = firstEdge[node + 1]!; e < end; e++) this.internalized[edgeTo[e]!] = 1;
    }
  }

  /** 1: not a system name; 2: 'system / ...'; 3: one of USER_DATA_SYSTEM (closure and module variables). */
  private system(name: number): number {
    let state = this.systemName[name]!;
    if (state === 0) {
      const strings = this.snapshot.strings;
      state = !strings.startsWith(name, 'system / ') ? 1 : USER_DATA_SYSTEM.some((n) => strings.is(name, n)) ? 3 : 2;
      this.systemName[name] = state;
    }
    return state;
  }

  /** Whether string `name` is in `names`, decoded once per string and remembered in `cache` (0 unknown). */
  private inSet(cache: Uint8Array, names: ReadonlySet<string>, name: number): boolean {
    let state = cache[name]!;
    if (state === 0) {
      state = names.has(this.snapshot.strings.get(name)) ? 2 : 1;
      cache[name] = state;
    }
    return state === 2;
  }

  /** Judged on the object alone (cheap; run on every candidate). */
  ofNode(node: number): NoiseReason {
    const s = this.snapshot;
    if (this.internalType[s.nodeType[node]!]) return 'internal type';
    if (this.system(s.nodeName[node]!) !== 1) return 'system object';
    if (s.nodeType[node] === s.kinds.object && this.inSet(this.nodeInternal, NODE_INTERNAL_CLASSES, s.nodeName[node]!))
      return 'node internal';
    // Internalized strings (literals, property names) are judged on their path: a Map or Set may hold them as data.
    return null;
  }

  /** Judged on the object's shortest retainer path (run on leak roots only). */
  ofPath(steps: readonly PathStep[]): NoiseReason {
    const s = this.snapshot;
    const k = s.kinds;
    for (let i = 0; i < steps.length - 1; i++) {
      const node = steps[i]!.node;
      const type = s.nodeType[node];
      if (type === k.synthetic) {
        if (this.inSet(this.transient, TRANSIENT_ROOTS, s.nodeName[node]!)) return 'transient root';
        continue;
      }
      const system = this.system(s.nodeName[node]!);
      if (type === k.code || system === 2 || (type === k.hidden && system !== 3)) return 'owned by code';
    }
    const last = steps.at(-1)?.node;
    if (last !== undefined && this.internalized[last] && s.isString(last) && !this.inCollection(steps))
      return 'internalized string';
    return null;
  }

  /**
   * Whether the path ends in a Map's or Set's table (owner, table, entry). V8 14 (Node 26) internalizes the
   * strings it stores there, which are data, not the literals and property names internalized strings else are.
   */
  private inCollection(steps: readonly PathStep[]): boolean {
    const owner = steps.at(-3)?.node;
    if (owner === undefined) return false;
    const s = this.snapshot;
    return (
      s.nodeType[owner] === s.kinds.object &&
      (s.strings.is(s.nodeName[owner]!, 'Map') || s.strings.is(s.nodeName[owner]!, 'Set'))
    );
  }
}
