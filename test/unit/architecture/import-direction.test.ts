import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ALLOWED, folderGraph, forbiddenImports, readImports, sourceRoot, type ImportEdge } from './imports.js';

const imports = readImports(sourceRoot());

test('the source tree is read: every folder of src has a rule', () => {
  assert.ok(imports.length > 200, `only ${imports.length} imports found`);
  const folders = new Set(imports.flatMap((edge) => [edge.from, edge.to]));
  for (const folder of folders) assert.ok(folder in ALLOWED, `src/${folder} has no line in ALLOWED`);
});

test('values flow down: no folder imports against the stated direction', () => {
  const wrong = forbiddenImports(imports).map((edge) => `${edge.file}: ${edge.from} -> ${edge.to} (${edge.specifier})`);
  assert.deepEqual(wrong, []);
});

test('no cycle between folders', () => {
  const graph = folderGraph(imports);
  const cycle = findCycle(graph);
  assert.equal(cycle, null, cycle ? `cycle: ${cycle.join(' -> ')}` : '');
});

test('the checks can fail: an upward import and a two-folder cycle are caught', () => {
  const edge = (from: string, to: string): ImportEdge => ({ file: `src/${from}/x.ts`, from, to, specifier: `../${to}/y.js` });
  assert.equal(forbiddenImports([edge('core', 'cli')]).length, 1);
  assert.equal(forbiddenImports([edge('report', 'runner')]).length, 1);
  assert.equal(forbiddenImports([edge('cli', 'engine')]).length, 0);
  assert.deepEqual(findCycle(folderGraph([edge('heap', 'process'), edge('process', 'heap')])), ['heap', 'process', 'heap']);
});

function findCycle(graph: ReadonlyMap<string, ReadonlySet<string>>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | null => {
    if (state.get(node) === 'done') return null;
    if (state.get(node) === 'open') return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const found = visit(next);
      if (found) return found;
    }
    stack.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of [...graph.keys()].sort()) {
    const found = visit(node);
    if (found) return found;
  }
  return null;
}
