/**
 * Heap snapshots for the tests: real ones, written by a child Node process that builds known objects and calls
 * v8.writeHeapSnapshot, and tiny synthetic ones in V8's layout for graph tests.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const NODE_TYPES = ['hidden', 'array', 'string', 'object', 'code', 'closure', 'regexp', 'number', 'native', 'synthetic', 'concatenated string', 'sliced string', 'symbol', 'bigint', 'object shape'];
const EDGE_TYPES = ['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak'];

/** Runs a CommonJS script in a fresh `node --expose-gc` with `DIR` in its environment. */
export function runSnapshotScript(script: string, dir: string): void {
  execFileSync(process.execPath, ['--expose-gc', '-e', script], { env: { ...process.env, DIR: dir }, stdio: 'pipe', timeout: 60_000 });
}

/** 1000 instances of class LeakedThing held in `globalThis.__things` -> DIR/things.heapsnapshot. */
export function writeLeakedThings(dir: string): string {
  runSnapshotScript(
    `
    class LeakedThing { constructor(i) { this.index = i; this.label = 'thing-' + i; } }
    globalThis.__things = [];
    for (let i = 0; i < 1000; i++) globalThis.__things.push(new LeakedThing(i));
    gc();
    require('v8').writeHeapSnapshot(require('path').join(process.env.DIR, 'things.heapsnapshot'));
    `,
    dir,
  );
  return join(dir, 'things.heapsnapshot');
}

export interface ThreeSnapshots {
  readonly base: string;
  readonly target: string;
  readonly final: string;
}

/**
 * One process, three snapshots: base; then `leaked` LeakedSession kept in the global Map `__sessionCache` and
 * `freed` TempRequest created and dropped; target; final. With leaked = 0 nothing should be reported.
 */
export function writeThreeSnapshots(dir: string, leaked = 5000, freed = 5000): ThreeSnapshots {
  runSnapshotScript(
    `
    const { writeHeapSnapshot } = require('v8');
    const { join } = require('path');
    class LeakedSession { constructor(i) { this.id = 'session-' + i; this.user = { name: 'user-' + i }; this.history = []; } }
    class TempRequest { constructor(i) { this.url = '/items/' + i; this.headers = { id: String(i) }; } }
    globalThis.__sessionCache = new Map();
    const snap = (name) => { gc(); writeHeapSnapshot(join(process.env.DIR, name + '.heapsnapshot')); };
    function work() {
      for (let i = 0; i < ${leaked}; i++) globalThis.__sessionCache.set(i, new LeakedSession(i));
      let requests = [];
      for (let i = 0; i < ${freed}; i++) requests.push(new TempRequest(i));
      return requests.length;
    }
    snap('base');
    work();
    snap('target');
    snap('final');
    `,
    dir,
  );
  return { base: join(dir, 'base.heapsnapshot'), target: join(dir, 'target.heapsnapshot'), final: join(dir, 'final.heapsnapshot') };
}

export interface SyntheticEdge {
  readonly type: string;
  /** A string for named edges, a number for element and hidden edges. */
  readonly name: string | number;
  readonly to: number;
}

export interface SyntheticNode {
  readonly type: string;
  readonly name: string;
  readonly id?: number;
  readonly selfSize: number;
  readonly edges?: readonly SyntheticEdge[];
  /** DOM state: 0 unknown (default), 1 attached, 2 detached. */
  readonly detachedness?: number;
}

/** A snapshot in V8's JSON layout; node 0 is the root, ids default to 2 * (ordinal + 1). */
export function syntheticSnapshot(nodes: readonly SyntheticNode[], extra: { strings?: readonly string[] } = {}): string {
  const strings: string[] = [''];
  const index = new Map<string, number>([['', 0]]);
  const intern = (s: string): number => {
    let i = index.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      index.set(s, i);
    }
    return i;
  };
  for (const s of extra.strings ?? []) intern(s);
  const nodeValues: number[] = [];
  const edgeValues: number[] = [];
  nodes.forEach((node, ordinal) => {
    const edges = node.edges ?? [];
    nodeValues.push(NODE_TYPES.indexOf(node.type), intern(node.name), node.id ?? 2 * (ordinal + 1), node.selfSize, edges.length, 0, node.detachedness ?? 0);
    for (const edge of edges) {
      const name = typeof edge.name === 'number' ? edge.name : intern(edge.name);
      edgeValues.push(EDGE_TYPES.indexOf(edge.type), name, edge.to * 7);
    }
  });
  const header = {
    meta: {
      node_fields: ['type', 'name', 'id', 'self_size', 'edge_count', 'trace_node_id', 'detachedness'],
      node_types: [NODE_TYPES, 'string', 'number', 'number', 'number', 'number', 'number'],
      edge_fields: ['type', 'name_or_index', 'to_node'],
      edge_types: [EDGE_TYPES, 'string_or_number', 'node'],
      trace_function_info_fields: [],
      trace_node_fields: [],
      sample_fields: [],
      location_fields: ['object_index', 'script_id', 'line', 'column'],
    },
    node_count: nodes.length,
    edge_count: edgeValues.length / 3,
    trace_function_count: 0,
  };
  // The layout V8 writes: one node per line, arrays on their own lines.
  const rows = (values: number[], width: number): string => {
    const lines: string[] = [];
    for (let i = 0; i < values.length; i += width) lines.push(values.slice(i, i + width).join(','));
    return lines.join('\n,');
  };
  return (
    `{"snapshot":${JSON.stringify(header)},\n"nodes":[${rows(nodeValues, 7)}],\n"edges":[${rows(edgeValues, 3)}],\n` +
    `"trace_function_infos":[],\n"trace_tree":[],\n"samples":[],\n"locations":[],\n"strings":[${strings.map((s) => JSON.stringify(s)).join(',\n')}]}\n`
  );
}

/** The stores writeStoreShapes fills, by the global that holds each. */
export const STORE_SHAPES = ['mapStore', 'setStore', 'dictStore', 'arrayStore', 'emitterStore', 'closureStore', 'stringStore'] as const;

/**
 * One process, three snapshots, seven keyed stores held by globals, each gaining `count` entries between base and
 * target (and `count` more before final, as a soak keeps leaking): a Map of objects by URL, a Set of objects, an
 * object used as a dictionary of JSON strings by random session id (express-session's MemoryStore), an array of
 * objects, an EventEmitter's listeners, closures (each with its own context variable) in an array, and a Set of
 * new strings. Every store starts with a few entries before base, and objects churned and dropped in between.
 */
export function writeStoreShapes(dir: string, count: number): ThreeSnapshots {
  runSnapshotScript(
    `
    const { writeHeapSnapshot } = require('v8');
    const { join } = require('path');
    const { EventEmitter } = require('events');
    class CacheEntry { constructor(i) { this.status = 200; this.body = 'body of item ' + i; } }
    class Visit { constructor(i) { this.ip = '10.0.0.' + (i & 255); this.at = i; } }
    class RequestRecord { constructor(i) { this.url = '/items/' + i; this.headers = { id: String(i) }; } }
    globalThis.mapStore = new Map();
    globalThis.setStore = new Set();
    globalThis.dictStore = { sessions: Object.create(null) };
    globalThis.arrayStore = [];
    globalThis.emitterStore = new EventEmitter();
    emitterStore.setMaxListeners(0);
    globalThis.closureStore = [];
    globalThis.stringStore = new Set();
    const id = (i) => Math.random().toString(36).slice(2, 10) + i.toString(36);
    const addMap = (i) => mapStore.set('/api/items/' + i + '?q=' + id(i), new CacheEntry(i));
    const addSet = (i) => setStore.add(new Visit(i));
    const addDict = (i) => { dictStore.sessions[id(i)] = JSON.stringify({ cookie: { path: '/', httpOnly: true }, user: 'user-' + i, views: i }); };
    const addArray = (i) => arrayStore.push(new RequestRecord(i));
    const addListener = (i) => { const state = { request: i, note: 'listener ' + i }; emitterStore.on('data', () => state.request); };
    const addClosure = (i) => { const context = { user: 'user-' + i, started: i }; closureStore.push(function onDone() { return context.user; }); };
    const addString = (i) => stringStore.add('/metrics/path/' + i + '/' + id(i));
    const adders = [addMap, addSet, addDict, addArray, addListener, addClosure, addString];
    function fill(from, to) { for (const add of adders) for (let i = from; i < to; i++) add(i); }
    function churn() { let dropped = []; for (let i = 0; i < 2000; i++) dropped.push(new RequestRecord(i)); return dropped.length; }
    const snap = (name) => { gc(); writeHeapSnapshot(join(process.env.DIR, name + '.heapsnapshot')); };
    fill(0, 8);
    snap('base');
    fill(8, 8 + ${count});
    churn();
    snap('target');
    fill(8 + ${count}, 8 + 2 * ${count});
    churn();
    snap('final');
    `,
    dir,
  );
  return { base: join(dir, 'base.heapsnapshot'), target: join(dir, 'target.heapsnapshot'), final: join(dir, 'final.heapsnapshot') };
}
