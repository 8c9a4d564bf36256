#!/usr/bin/env node
/**
 * Checks memprobe's dominators, self sizes, retained sizes and class totals against Chrome DevTools' own heap
 * snapshot code (front_end/entrypoints/heap_snapshot_worker/HeapSnapshot.ts from the chrome-devtools-frontend
 * package, transpiled with the project's TypeScript and run in Node).
 *
 *   npx tsc -p .                          # repository root
 *   cd bench/heap && PUPPETEER_SKIP_DOWNLOAD=1 npm install
 *   node devtools-check.mjs FILE.heapsnapshot
 *
 * DevTools parses with JSON.parse, so FILE must stay well under 512 MB (a test-sized snapshot is plenty).
 * Exit code 1 when anything differs.
 */
import { createRequire } from 'node:module';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');
const FRONT_END = join(HERE, 'node_modules', 'chrome-devtools-frontend', 'front_end');
const OUT = join(HERE, 'node_modules', '.cache', 'devtools-oracle');

/** Transpiles the few modules HeapSnapshot.ts needs; i18n and the host runtime are stubbed. */
function buildOracle() {
  const ts = createRequire(join(ROOT, 'package.json'))('typescript');
  const files = [
    ...readdirSync(join(FRONT_END, 'core', 'platform')).filter((f) => f.endsWith('.ts')).map((f) => `core/platform/${f}`),
    'models/heap_snapshot/HeapSnapshotModel.ts',
    'entrypoints/heap_snapshot_worker/HeapSnapshot.ts',
    'entrypoints/heap_snapshot_worker/AllocationProfile.ts',
    'entrypoints/heap_snapshot_worker/ContextAnalyzer.ts',
  ];
  for (const file of files) {
    const source = readFileSync(join(FRONT_END, file), 'utf8');
    const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
    const dest = join(OUT, file.replace(/\.ts$/, '.js'));
    mkdirSync(dirname(dest), { recursive: true });
    writeFileSync(dest, outputText);
  }
  const stub = (file, text) => {
    mkdirSync(dirname(join(OUT, file)), { recursive: true });
    writeFileSync(join(OUT, file), text);
  };
  stub('core/i18n/i18n.js', 'export const i18n = { serializeUIString: (s) => s };\n');
  stub('core/platform/HostRuntime.js', 'export const IS_NODE = true;\nexport const IS_BROWSER = false;\nexport const HOST_RUNTIME = {};\n');
  stub('models/heap_snapshot/heap_snapshot.js', "export * as HeapSnapshotModel from './HeapSnapshotModel.js';\n");
  stub('package.json', '{"type":"module"}\n');
}

async function devtools(file) {
  // Node 20 lacks two ES2024 helpers DevTools uses.
  Promise.withResolvers ??= function withResolvers() {
    let resolve;
    let reject;
    const promise = new Promise((a, b) => ((resolve = a), (reject = b)));
    return { promise, resolve, reject };
  };
  // eslint-disable-next-line no-extend-native
  Array.prototype.toSorted ??= function toSorted(compare) {
    return [...this].sort(compare);
  };
  const HS = await import(pathToFileURL(join(OUT, 'entrypoints/heap_snapshot_worker/HeapSnapshot.js')).href);
  const TA = await import(pathToFileURL(join(OUT, 'core/platform/TypedArrayUtilities.js')).href);
  const json = JSON.parse(readFileSync(file, 'utf8'));
  const big = (values) => {
    const array = TA.createFixedBigUint32Array(values.length);
    for (let i = 0; i < values.length; i++) array.setValue(i, values[i]);
    return array;
  };
  const warn = console.warn;
  console.warn = () => {}; // DevTools reports unreachable nodes on the console
  const snapshot = await HS.createJSHeapSnapshotForTesting({ ...json, nodes: big(json.nodes), edges: big(json.edges) });
  console.warn = warn;
  const fields = snapshot.nodeFieldCount;
  const self = Array.from({ length: snapshot.nodeCount }, (_, o) => snapshot.nodes.getValue(o * fields + snapshot.nodeSelfSizeOffset));
  const classes = Object.values(snapshot.getAggregatesByClassKey(false, 'allObjects')).map((a) => ({ name: a.name, count: a.count, self: a.self, retained: a.maxRet }));
  return { dominators: snapshot.dominatorsTree, retained: snapshot.retainedSizes, self, classes };
}

async function main(file) {
  buildOracle();
  const reference = await devtools(file);
  const { readHeapSnapshot } = await import(pathToFileURL(join(ROOT, 'dist/src/heap/reader.js')).href);
  const { analyzeHeap } = await import(pathToFileURL(join(ROOT, 'dist/src/heap/analysis.js')).href);
  const { aggregateClasses } = await import(pathToFileURL(join(ROOT, 'dist/src/heap/aggregate.js')).href);
  const snapshot = readHeapSnapshot(file, { forAnalysis: true });
  const analysis = analyzeHeap(snapshot);
  const { idom, retained } = analysis.dominators;
  let dominators = 0;
  let selfSizes = 0;
  let retainedSizes = 0;
  for (let node = 0; node < snapshot.nodeCount; node++) {
    if (reference.dominators[node] !== idom[node]) dominators++;
    if (reference.self[node] !== analysis.selfSize[node]) selfSizes++;
    if (reference.retained[node] !== retained[node]) retainedSizes++;
  }
  // DevTools splits same-named constructors by source location and names plain Objects by their properties:
  // only classes it keeps whole (one entry per name, not 'Object') are comparable.
  const entries = new Map();
  for (const c of reference.classes) entries.set(c.name, [...(entries.get(c.name) ?? []), c]);
  const ours = aggregateClasses(snapshot, analysis.classes, analysis.dominators, analysis.selfSize, analysis.workspace);
  let compared = 0;
  const classDiffs = [];
  for (const c of ours) {
    const theirs = entries.get(c.name);
    if (!theirs || theirs.length !== 1 || c.name === 'Object') continue;
    compared++;
    const [d] = theirs;
    if (d.count !== c.count || d.self !== c.selfSize || d.retained !== c.retainedSize) classDiffs.push({ ours: c, devtools: d });
  }
  const split = [...entries].filter(([name, list]) => list.length > 1 || name === 'Object').map(([name]) => name);
  console.log(
    JSON.stringify(
      {
        nodes: snapshot.nodeCount,
        differentDominators: dominators,
        differentSelfSizes: selfSizes,
        differentRetainedSizes: retainedSizes,
        classesCompared: compared,
        differentClasses: classDiffs.length,
        classDiffs: classDiffs.slice(0, 5),
        notComparedClasses: split,
      },
      null,
      2,
    ),
  );
  process.exitCode = dominators + selfSizes + retainedSizes + classDiffs.length === 0 ? 0 : 1;
}

await main(process.argv[2]);
