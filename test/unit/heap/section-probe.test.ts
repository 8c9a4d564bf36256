import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { SectionProbe } from '../../../src/heap/section-probe.js';
import { writeLeakedThings } from '../../support/heap-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'memprobe-probe-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function probe(file: string, windowBytes: number): { found: ReturnType<SectionProbe['find']>; bytesRead: number } {
  const fd = openSync(file, 'r');
  try {
    const bytes = readFileSync(file).length;
    const head = readFileSync(file, 'latin1').slice(0, 4096);
    const fields = (key: string): number =>
      (new RegExp(`"${key}":\\[([^\\]]*)\\]`).exec(head)?.[1] ?? '').split(',').length;
    const sections = new SectionProbe(fd, bytes, fields('node_fields'), fields('edge_fields'), windowBytes);
    return { found: sections.find(), bytesRead: sections.bytesRead };
  } finally {
    closeSync(fd);
  }
}

/** A real snapshot as V8 11 (Node 20, 22) writes it: one record per line; V8 12+ writes each array on one line. */
function recordPerLine(file: string): string {
  const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> & {
    snapshot: { meta: { node_fields: string[]; edge_fields: string[] } };
    nodes: number[];
    edges: number[];
    locations: number[];
    strings: string[];
  };
  const rows = (values: number[], width: number): string => {
    const lines: string[] = [];
    for (let i = 0; i < values.length; i += width) lines.push(values.slice(i, i + width).join(','));
    return lines.join('\n,');
  };
  const { meta } = json.snapshot;
  const out = join(dir, 'per-line.heapsnapshot');
  writeFileSync(
    out,
    `{"snapshot":${JSON.stringify(json.snapshot)},\n"nodes":[${rows(json.nodes, meta.node_fields.length)}],\n` +
      `"edges":[${rows(json.edges, meta.edge_fields.length)}],\n` +
      '"trace_function_infos":[],\n"trace_tree":[],\n"samples":[],\n' +
      `"locations":[${rows(json.locations, 4)}],\n` +
      `"strings":[${json.strings.map((s) => JSON.stringify(s)).join(',\n')}]}\n`,
  );
  return out;
}

test('section probe: finds the edges and strings keys of a real snapshot in a few small windows', () => {
  const file = recordPerLine(writeLeakedThings(dir));
  const text = readFileSync(file, 'latin1');
  const expected = { edgesAt: text.indexOf('"edges":['), stringsAt: text.indexOf('"strings":[') };
  assert.ok(expected.edgesAt > 0 && expected.stringsAt > expected.edgesAt);
  for (const windowBytes of [256, 1024, 64 * 1024]) {
    const { found, bytesRead } = probe(file, windowBytes);
    assert.deepEqual(found, expected, `window ${windowBytes}`);
    if (windowBytes === 256) assert.ok(bytesRead < text.length / 20, `read ${bytesRead} of ${text.length} bytes`);
  }
});

test('section probe: a file not written one record per line is left to the plain search (null)', () => {
  const file = recordPerLine(writeLeakedThings(dir));
  const oneLine = join(dir, 'one-line.heapsnapshot');
  writeFileSync(oneLine, readFileSync(file, 'latin1').replace(/\n/g, ''), 'latin1');
  assert.equal(probe(oneLine, 256).found, null);
});
