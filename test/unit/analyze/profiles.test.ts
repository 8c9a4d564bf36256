import assert from 'node:assert/strict';
import { test } from 'node:test';
import { topAllocationSites, topSelfTime, type CallFrame, type HeapProfileNode } from '../../../src/analyze/profiles.js';

const frame = (functionName: string, url: string, lineNumber = 0): CallFrame => ({ functionName, url, lineNumber, columnNumber: 4 });
const node = (callFrame: CallFrame, selfSize: number, children: HeapProfileNode[] = []): HeapProfileNode => ({ callFrame, selfSize, children });

const TOOL = 'file:///tool/child.js';
const profile = node(frame('(root)', ''), 0, [
  node(frame('iterate', TOOL, 9), 100, [
    node(frame('leak', 'file:///app/probe.js', 5), 3000, [node(frame('push', 'node:internal/x', 1), 500)]),
    node(frame('other', 'file:///app/probe.js', 20), 1000),
  ]),
  node(frame('sample', TOOL, 40), 0, [node(frame('percentile', 'node:internal/histogram', 3), 700)]),
  node(frame('leak', 'file:///app/probe.js', 5), 1000),
]);

test('allocation sites are summed per function, ranked, with 1-based file:line:column', () => {
  const sites = topAllocationSites(profile, 10);
  assert.deepEqual(sites[0], { functionName: 'leak', location: '/app/probe.js:6:5', value: 4000, share: 4000 / 6300 });
  assert.equal(sites.length, 5);
});

test("the tool's frames and the node internals it calls are left out; probe code it calls is kept", () => {
  const sites = topAllocationSites(profile, 10, (f) => f.url === TOOL);
  assert.deepEqual(
    sites.map((s) => [s.functionName, s.value]),
    [['leak', 4000], ['other', 1000], ['push', 500]],
  );
});

test('CPU self time: hits times the mean sampling interval, idle left out', () => {
  const sites = topSelfTime(
    {
      startTime: 0,
      endTime: 100_000, // 100 ms in microseconds
      nodes: [
        { id: 1, callFrame: frame('(root)', ''), hitCount: 0 },
        { id: 2, callFrame: frame('hot', 'file:///app/a.js', 2), hitCount: 60 },
        { id: 3, callFrame: frame('(idle)', ''), hitCount: 20 },
        { id: 4, callFrame: frame('(garbage collector)', ''), hitCount: 20 },
      ],
    },
    5,
  );
  assert.deepEqual(
    sites.map((s) => [s.functionName, s.location, s.value]),
    [['hot', '/app/a.js:3:5', 60], ['(garbage collector)', '', 20]],
  );
});
