import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ArrayProbe } from '../../../src/heap/array-probe.js';
import { parseHeader, type SnapshotHeader } from '../../../src/heap/header.js';
import { writeLeakedThings } from '../../support/heap-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'memprobe-array-probe-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A real snapshot as V8 12+ (Node 24, 26) writes it: each array on one line (here: the whole file on one). */
const file = join(dir, 'one-line.heapsnapshot');
writeFileSync(file, readFileSync(writeLeakedThings(dir), 'latin1').replace(/\n/g, ''), 'latin1');
const text = readFileSync(file, 'latin1');
const headerText = text.slice(text.indexOf(':') + 1, text.indexOf(',"nodes":['));
const header: SnapshotHeader = parseHeader(headerText, text.length, (message) => assert.fail(message));
const valuesAt = text.indexOf('"nodes":[') + '"nodes":['.length;

function withProbe<T>(windowBytes: number, use: (probe: ArrayProbe) => T, from = header): T {
  const fd = openSync(file, 'r');
  try {
    return use(new ArrayProbe(fd, text.length, from, windowBytes));
  } finally {
    closeSync(fd);
  }
}

test('array probe: finds the edges and strings keys of a one-line snapshot in a few small windows', () => {
  const expected = { edgesAt: text.indexOf('"edges":['), stringsAt: text.indexOf('"strings":[') };
  assert.ok(expected.edgesAt > valuesAt && expected.stringsAt > expected.edgesAt);
  for (const windowBytes of [512, 1000, 1024, 1531, 2999, 4096, 7919, 64 * 1024]) {
    const { found, bytesRead } = withProbe(windowBytes, (probe) => ({
      found: probe.find(valuesAt),
      bytesRead: probe.bytesRead,
    }));
    assert.deepEqual(found, expected, `window ${windowBytes}`);
    if (windowBytes === 512) assert.ok(bytesRead < text.length / 20, `read ${bytesRead} of ${text.length} bytes`);
  }
});

test('array probe: a split point inside the edges is the comma before a record', () => {
  const edgesValues = text.indexOf('"edges":[') + '"edges":['.length;
  const edgesEnd = text.indexOf(']', edgesValues);
  const width = header.edgeFields.length;
  let checked = 0;
  for (let at = edgesValues + 1000; at < edgesEnd - 8192; at += 7919) {
    const split = withProbe(4096, (probe) => probe.edgeRecordAfter(at));
    assert.ok(split >= at, `split ${split} at ${at}`);
    assert.equal(text[split], ',');
    // Values before the split: the commas from the first value on, plus that first value.
    const before = text.slice(edgesValues, split).split(',').length;
    assert.equal(before % width, 0, `split at ${split}: ${before} values before it`);
    checked++;
  }
  assert.ok(checked > 10, `${checked} split points`);
});

test('array probe: a header the values do not fit never gives a wrong offset: null (the caller searches) or the keys', () => {
  const expected = { edgesAt: text.indexOf('"edges":['), stringsAt: text.indexOf('"strings":[') };
  // One node type, or two: the nodes' windows no longer read as nodes at their own phase (another phase may still
  // fit by chance), so the search may bracket the wrong place. A key is only returned once its bytes are there.
  for (const nodeTypes of [['hidden'], ['hidden', 'array']]) {
    const found = withProbe(4096, (probe) => probe.find(valuesAt), { ...header, nodeTypes });
    if (found !== null) assert.deepEqual(found, expected, `${nodeTypes.length} node type(s)`);
  }
  // Searched from inside the edges: the edges key is behind, never found.
  const inEdges = text.indexOf('"edges":[') + 5000;
  assert.equal(
    withProbe(4096, (probe) => probe.find(inEdges)),
    null,
  );
  const noDetachedness = { ...header, nodeDetachednessField: -1 };
  assert.equal(
    withProbe(4096, (probe) => probe.find(valuesAt), noDetachedness),
    null,
  );
});
