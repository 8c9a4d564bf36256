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
    const fields = (key: string): number => (new RegExp(`"${key}":\\[([^\\]]*)\\]`).exec(head)?.[1] ?? '').split(',').length;
    const sections = new SectionProbe(fd, bytes, fields('node_fields'), fields('edge_fields'), windowBytes);
    return { found: sections.find(), bytesRead: sections.bytesRead };
  } finally {
    closeSync(fd);
  }
}

test('section probe: finds the edges and strings keys of a real snapshot in a few small windows', () => {
  const file = writeLeakedThings(dir);
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
  const file = writeLeakedThings(dir);
  const oneLine = join(dir, 'one-line.heapsnapshot');
  writeFileSync(oneLine, readFileSync(file, 'latin1').replace(/\n/g, ''), 'latin1');
  assert.equal(probe(oneLine, 256).found, null);
});
