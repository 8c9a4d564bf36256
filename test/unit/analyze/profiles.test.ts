import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allocationSites, topSelfTime, type CallFrame, type HeapProfileNode } from '../../../src/analyze/profiles.js';

const frame = (functionName: string, url: string, lineNumber = 0): CallFrame => ({
  functionName,
  url,
  lineNumber,
  columnNumber: 4,
});
const node = (callFrame: CallFrame, selfSize: number, children: HeapProfileNode[] = []): HeapProfileNode => ({
  callFrame,
  selfSize,
  children,
});

const TOOL = 'file:///tool/child.js';
const profile = node(frame('(root)', ''), 0, [
  node(frame('iterate', TOOL, 9), 100, [
    node(frame('leak', 'file:///app/probe.js', 5), 3000, [node(frame('push', 'node:internal/x', 1), 500)]),
    node(frame('other', 'file:///app/probe.js', 20), 1000),
  ]),
  node(frame('sample', TOOL, 40), 0, [node(frame('percentile', 'node:internal/histogram', 3), 700)]),
  node(frame('leak', 'file:///app/probe.js', 5), 1000),
]);

test('allocation sites are summed per function; internals are charged to the program function that called them', () => {
  const { topSites: sites, sampledBytes, programBytes, toolBytes } = allocationSites(profile, 10);
  // leak: 3000 + 500 (node:internal push it called) + 1000 (its other call path)
  assert.deepEqual(sites[0], { functionName: 'leak', location: '/app/probe.js:6:5', value: 4500, share: 4500 / 6300 });
  assert.deepEqual(
    sites.map((s) => [s.functionName, s.value]),
    [
      ['leak', 4500],
      ['other', 1000],
      ['sample', 700],
      ['iterate', 100],
    ],
  );
  assert.deepEqual([sampledBytes, programBytes, toolBytes], [6300, 6300, 0]);
});

test("the tool's frames and what they call are the tool's bytes, not sites; probe code the tool calls is kept", () => {
  const result = allocationSites(profile, 10, (f) => f.url === TOOL);
  assert.deepEqual(
    result.topSites.map((s) => [s.functionName, s.value, s.share]),
    [
      ['leak', 4500, 4500 / 5500],
      ['other', 1000, 1000 / 5500],
    ],
  );
  assert.deepEqual(
    [result.sampledBytes, result.toolBytes, result.programBytes, result.programShare],
    [6300, 800, 5500, 5500 / 6300],
  );
});

test("the tool's inspector session is never a site, whatever calls it", () => {
  const inspector = (f: CallFrame): boolean => f.url === 'node:inspector';
  const session = node(frame('(root)', ''), 0, [
    node(frame('processTicksAndRejections', 'node:internal/process/task_queues', 1), 0, [
      node(frame('#onMessage', 'node:inspector', 7), 2000),
    ]),
    node(frame('leak', 'file:///app/probe.js', 5), 2000),
  ]);
  const result = allocationSites(session, 5, inspector);
  assert.deepEqual(
    result.topSites.map((s) => [s.functionName, s.share]),
    [['leak', 1]],
  );
  assert.deepEqual([result.toolBytes, result.programShare], [2000, 0.5]);
});

test('allocations with no program function on the stack keep their own frame, and are not program bytes', () => {
  const internal = node(frame('(root)', ''), 0, [node(frame('processTimers', 'node:internal/timers', 503), 300)]);
  const result = allocationSites(internal, 5);
  assert.deepEqual(
    result.topSites.map((s) => [s.functionName, s.location]),
    [['processTimers', 'node:internal/timers:504:5']],
  );
  assert.deepEqual([result.sampledBytes, result.programBytes, result.programShare], [300, 0, 0]);
});

test('an empty profile has no sites and a zero share', () => {
  const result = allocationSites(node(frame('(root)', ''), 0), 5);
  assert.deepEqual(result, { topSites: [], sampledBytes: 0, toolBytes: 0, programBytes: 0, programShare: 0 });
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
    [
      ['hot', '/app/a.js:3:5', 60],
      ['(garbage collector)', '', 20],
    ],
  );
});
