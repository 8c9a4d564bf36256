/**
 * The page's queries: one JSON answer per request, computed from the session's parsed heap. Bad parameters
 * are a 400 with a one-line message, an unknown object id a 404; nothing here throws past `answer`.
 */
import type { ClassChange } from '../heap/compare.js';
import type { HeapView } from './heap-view.js';
import { viewClusters } from './report-view.js';
import type { ViewSession } from './session.js';

export interface Answer {
  readonly status: number;
  readonly body: unknown;
}

class BadRequest extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

function int(params: URLSearchParams, name: string, fallback?: number): number {
  const raw = params.get(name);
  if (raw === null || raw === '') {
    if (fallback === undefined) throw new BadRequest(`${name} is required`);
    return fallback;
  }
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) throw new BadRequest(`${name}: '${raw}' is not a whole number`);
  return value;
}

function heapOf(session: ViewSession): HeapView {
  if (!session.heap) throw new BadRequest('this view has no snapshot to explore', 404);
  return session.heap;
}

/** The ordinal of `?id=` (the root when absent). */
function node(heap: HeapView, params: URLSearchParams): number {
  const id = int(params, 'id', heap.rootId);
  const ordinal = heap.find(id);
  if (ordinal < 0) throw new BadRequest(`no object @${id} in this snapshot`, 404);
  return ordinal;
}

const SORTS = ['name', 'count', 'selfSize', 'retainedSize'] as const;
type Sort = (typeof SORTS)[number];
const DIFF_SORTS = ['name', 'newCount', 'deletedCount', 'countDelta', 'addedSize', 'removedSize', 'sizeDelta'] as const;

function sortOf<T extends string>(params: URLSearchParams, allowed: readonly T[], fallback: T): T {
  const raw = params.get('sort') ?? fallback;
  if (!(allowed as readonly string[]).includes(raw))
    throw new BadRequest(`sort: '${raw}' is not one of ${allowed.join(', ')}`);
  return raw as T;
}

function overview(session: ViewSession): unknown {
  const { heap, leaks, comparison, report } = session;
  return {
    mode: session.mode,
    files: session.files,
    showValues: session.showValues,
    heap: heap ? { file: heap.snapshot.file, rootId: heap.rootId, ...heap.totals() } : null,
    comparison: comparison ? { files: comparison.files, totals: comparison.totals } : null,
    leaks: leaks ? { status: leaks.status, summary: leaks.summary, clusters: leaks.clusters.length } : null,
    report: report
      ? { file: report.file, kind: report.kind, verdict: report.verdict, explored: report.explored ?? null }
      : null,
  };
}

function diffRows(session: ViewSession, params: URLSearchParams): unknown {
  if (!session.comparison) throw new BadRequest('this view has no comparison (give two snapshots)', 404);
  const key = sortOf(params, DIFF_SORTS, 'sizeDelta');
  const sign = params.get('dir') === 'asc' ? 1 : -1;
  const needle = (params.get('filter') ?? '').toLowerCase();
  const rows: ClassChange[] = session.comparison.classes.filter((c) => c.name.toLowerCase().includes(needle));
  if (key === 'name') rows.sort((a, b) => sign * -a.name.localeCompare(b.name));
  else rows.sort((a, b) => sign * (a[key] - b[key]) || a.name.localeCompare(b.name));
  const offset = int(params, 'offset', 0);
  return { total: rows.length, offset, rows: rows.slice(offset, offset + Math.min(int(params, 'limit', 100), 1000)) };
}

function route(session: ViewSession, path: string, params: URLSearchParams): unknown {
  switch (path) {
    case '/api/session':
      return overview(session);
    case '/api/classes':
      return heapOf(session).classes({
        filter: params.get('filter') ?? '',
        sort: sortOf<Sort>(params, SORTS, 'retainedSize'),
        descending: params.get('dir') !== 'asc',
        offset: int(params, 'offset', 0),
        limit: int(params, 'limit', 100),
      });
    case '/api/instances': {
      const name = params.get('class');
      if (!name) throw new BadRequest('class is required');
      return heapOf(session).instances(name, int(params, 'limit', 100));
    }
    case '/api/object': {
      const heap = heapOf(session);
      const ordinal = node(heap, params);
      return { object: heap.row(ordinal), chain: heap.dominatorChain(ordinal), edges: heap.edges(ordinal, 200) };
    }
    case '/api/children': {
      const heap = heapOf(session);
      return heap.dominated(node(heap, params), int(params, 'offset', 0), int(params, 'limit', 100));
    }
    case '/api/retainers': {
      const heap = heapOf(session);
      return heap.retainers(node(heap, params), int(params, 'limit', 100));
    }
    case '/api/leaks':
      if (!session.leaks) throw new BadRequest('this view has no leak clusters (give three snapshots)', 404);
      return {
        status: session.leaks.status,
        summary: session.leaks.summary,
        clusters: viewClusters(session.leaks.clusters, session.showValues),
      };
    case '/api/diff':
      return diffRows(session, params);
    case '/api/report':
      if (!session.report) throw new BadRequest('this view has no report', 404);
      return session.report;
    default:
      throw new BadRequest(`no such query: ${path}`, 404);
  }
}

export function answer(session: ViewSession, path: string, params: URLSearchParams): Answer {
  try {
    return { status: 200, body: route(session, path, params) };
  } catch (error) {
    if (error instanceof BadRequest) return { status: error.status, body: { error: error.message } };
    return { status: 500, body: { error: `memprobe view failed: ${(error as Error).message}` } };
  }
}
