/**
 * The folder-level import graph of src/, read from the source text, and the direction rule it must keep
 * (docs/ARCHITECTURE.md). Values flow down; `import type` may point anywhere, since it leaves no edge at run time.
 * The files directly in src/ (constants, errors, types, ...) count as `core`; src/index.ts is the package's entry.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ImportEdge {
  readonly file: string;
  readonly from: string;
  readonly to: string;
  readonly specifier: string;
}

const BASE = ['core'];
const LOWER = [...BASE, 'budgets', 'settings', 'analyze', 'history', 'heap', 'inspector', 'process', 'modules'];

/** For each folder, the folders it may import values from (besides itself). */
export const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  index: ['engine', 'cli', 'report', 'test-api', 'service', ...LOWER, 'runner', 'load', 'shard'],
  cli: ['engine', 'report', 'view', ...BASE, 'settings'],
  engine: ['runner', 'load', 'shard', ...LOWER],
  runner: ['load', ...LOWER],
  load: [...BASE, 'settings', 'process', 'modules', 'analyze'],
  shard: [...BASE, 'load', 'analyze'],
  'test-api': [...BASE, 'budgets', 'settings', 'analyze', 'heap', 'process'],
  report: [...BASE],
  view: [...BASE, 'heap', 'report'],
  analyze: [...BASE, 'budgets'],
  settings: [...BASE, 'budgets'],
  budgets: [...BASE],
  history: [...BASE],
  heap: [...BASE],
  inspector: [...BASE, 'process'],
  process: [...BASE],
  modules: [...BASE],
  service: [],
  core: [],
};

export function sourceRoot(): string {
  // dist/test/unit/architecture -> the repository's src/
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'src');
}

function folderOf(src: string, file: string): string {
  const parts = relative(src, file).split(sep);
  if (parts.length > 1) return parts[0]!;
  return parts[0] === 'index.ts' ? 'index' : 'core';
}

function listTs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listTs(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** `import x from`, `import { a, type B } from`, `export * from`, `import('...')`; not `import type` or `export type`. */
const STATIC = /^\s*(import|export)\s+(type\s+)?([^;=()]*?)\s*from\s*'([^']+)'/gm;
const DYNAMIC = /\bimport\(\s*'([^']+)'\s*\)/g;

function valueSpecifiers(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(STATIC)) {
    if (match[2]) continue;
    const names = /^\{([^}]*)\}$/.exec(match[3]!.trim());
    const allTypes = names && names[1]!.split(',').every((n) => n.trim() === '' || n.trim().startsWith('type '));
    if (!allTypes) found.push(match[4]!);
  }
  for (const match of text.matchAll(DYNAMIC)) found.push(match[1]!);
  return found;
}

export function readImports(src: string): ImportEdge[] {
  return listTs(src).flatMap((file) =>
    valueSpecifiers(readFileSync(file, 'utf8'))
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => ({
        file: relative(dirname(src), file),
        from: folderOf(src, file),
        to: folderOf(src, resolve(dirname(file), specifier)),
        specifier,
      }))
      .filter((edge) => edge.from !== edge.to),
  );
}

export function forbiddenImports(edges: readonly ImportEdge[]): ImportEdge[] {
  return edges.filter((edge) => !(ALLOWED[edge.from] ?? []).includes(edge.to));
}

export function folderGraph(edges: readonly ImportEdge[]): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const edge of edges) {
    if (!graph.has(edge.from)) graph.set(edge.from, new Set());
    graph.get(edge.from)!.add(edge.to);
  }
  return graph;
}
