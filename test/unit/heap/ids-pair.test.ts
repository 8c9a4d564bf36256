import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readNodeIdsPair } from '../../../src/heap/ids-pair.js';
import { Phases } from '../../../src/core/phases.js';
import { readNodeIds } from '../../../src/heap/reader.js';
import { HeapSnapshotError } from '../../../src/heap/snapshot-error.js';
import { writeThreeSnapshots } from '../../support/heap-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'memprobe-ids-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('ids pair: TARGET read on a worker gives the same ids as a plain read; its bytes count in the phase', () => {
  const { base, target } = writeThreeSnapshots(dir, 500, 500);
  const phases = new Phases();
  const [baseIds, targetIds] = readNodeIdsPair(base, target, { parallelMinBytes: 0, phases });
  assert.deepEqual(baseIds, readNodeIds(base));
  assert.deepEqual(targetIds, readNodeIds(target));
  assert.ok(targetIds.length > baseIds.length);
  assert.equal(phases.records.length, 1);
  assert.match(phases.records[0]!.name, /^read ids base\.heapsnapshot \+ target\.heapsnapshot$/);
  const nodesBytes = (file: string): number => readFileSync(file, 'latin1').indexOf('"edges":');
  assert.ok(phases.records[0]!.bytesRead >= nodesBytes(base) + nodesBytes(target), 'both files are counted');
});

test('ids pair: a TARGET cut short fails as a plain read does (file, section, byte)', () => {
  const { base, target } = writeThreeSnapshots(dir, 10, 10);
  const cut = join(dir, 'cut-target.heapsnapshot');
  const bytes = readFileSync(target);
  writeFileSync(cut, bytes.subarray(0, bytes.length - 50));
  let expected: HeapSnapshotError | undefined;
  try {
    readNodeIds(cut);
  } catch (error) {
    expected = error as HeapSnapshotError;
  }
  assert.ok(expected instanceof HeapSnapshotError);
  assert.throws(
    () => readNodeIdsPair(base, cut, { parallelMinBytes: 0 }),
    (e: unknown) => e instanceof HeapSnapshotError && e.message === expected.message,
  );
});
