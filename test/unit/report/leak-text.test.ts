import assert from 'node:assert/strict';
import { test } from 'node:test';
import { noClusterLines } from '../../../src/report/text.js';

const grew = [
  { name: '(string)', countDelta: 14_600, sizeDelta: 804 * 1024 },
  { name: 'Object', countDelta: 120, sizeDelta: 9 * 1024 },
];

test('no cluster but the new objects are there: the figure and the classes that grew, never "not in new objects"', () => {
  const lines = noClusterLines({ heapDelta: 900 * 1024, newAndAliveSize: 703 * 1024, grew });
  const text = lines.join('\n');
  assert.doesNotMatch(text, /not in objects new/);
  assert.match(text, /objects new mid-soak and still alive \(Node\/V8 internals included\) hold 703\.0 KB of the \+900\.0 KB/);
  assert.match(text, /grew most from baseline to final snapshot: \(string\) \+14,600 \(\+804\.0 KB\), Object \+120 \(\+9\.0 KB\)/);
});

test('the growth is said not to be in new objects only when the snapshots show it, with the figure', () => {
  const text = noClusterLines({ heapDelta: 2048 * 1024, newAndAliveSize: 100 * 1024, grew }).join('\n');
  assert.match(text, /the growth is not in objects new mid-soak: they hold 100\.0 KB of the \+2\.0 MB/);
});

test('a heap that did not grow between the snapshots is said so (the growth is elsewhere, e.g. external memory)', () => {
  const text = noClusterLines({ heapDelta: -4096, newAndAliveSize: 0, grew: [] }).join('\n');
  assert.match(text, /did not grow from baseline to final \(-4\.0 KB\)/);
  assert.doesNotMatch(text, /grew most/);
});
