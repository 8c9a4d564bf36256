import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { NotEnoughMemoryError } from '../../../src/errors.js';
import { availableBytes, bytesNeeded, checkMemoryFor, snapshotCounts } from '../../../src/heap/memory-needed.js';
import { readHeapSnapshot } from '../../../src/heap/reader.js';
import { tempDir } from '../../support/cli.js';
import { runSnapshotScript } from '../../support/heap-fixtures.js';

const MiB = 1024 * 1024;

test('the estimate matches the peak RSS measured on big snapshots (docs/guides/analyse-a-snapshot.md, Big snapshots) within 25%', () => {
  // inspect of 32.6M nodes and 85.3M edges peaked at 3.2 GB; diff's FINAL at 114 MiB per million nodes.
  const big = bytesNeeded({ file: 'big', nodes: 32.6e6, edges: 85.3e6 });
  assert.ok(Math.abs(big - 3.2e9) / 3.2e9 < 0.25, String(big));
  const mid = bytesNeeded({ file: 'mid', nodes: 8.9e6, edges: 8.9e6 * 2.6 });
  assert.ok(Math.abs(mid - 108 * MiB * 8.9) / (108 * MiB * 8.9) < 0.25, String(mid));
});

test('a snapshot needing more than is available is refused before reading, with both figures; one that fits is read', () => {
  const dir = tempDir();
  try {
    runSnapshotScript(`require('v8').writeHeapSnapshot(require('path').join(process.env.DIR, 'a.heapsnapshot'));`, dir);
    const file = join(dir, 'a.heapsnapshot');
    const counts = snapshotCounts(file)!;
    const snapshot = readHeapSnapshot(file);
    assert.deepEqual([counts.nodes, counts.edges], [snapshot.nodeCount, snapshot.edgeCount]);
    const needed = bytesNeeded(counts);
    assert.throws(
      () => checkMemoryFor(file, [], needed - 1),
      (error: unknown) => {
        assert.ok(error instanceof NotEnoughMemoryError);
        assert.equal(error.exitCode, 2);
        assert.match(
          error.message,
          new RegExp(
            `^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} needs about [\\d.]+ MB of memory to analyse \\(\\d+ nodes, \\d+ edges\\) and [\\d.]+ MB is available`,
          ),
        );
        return true;
      },
    );
    checkMemoryFor(file, [], needed);
    // The ids of BASE and TARGET count too.
    assert.throws(() => checkMemoryFor(file, [file, file], needed), NotEnoughMemoryError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('available memory is read on Linux (MemAvailable, or the cgroup limit when lower)', () => {
  if (process.platform !== 'linux') return;
  const available = availableBytes();
  assert.ok(available !== null && available > 0);
});
