import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EXACT_EXTERNAL_FLAG, NO_INLINING_FLAGS } from '../../../src/constants.js';
import { measuredProcessFlags, supportedFlags } from '../../../src/v8-flags.js';

test('only flags the node binary lists are given: an unknown one would stop node before it starts', () => {
  // This node (20-26 all know these three) runs the test; the made-up flag must be dropped, the order kept.
  assert.deepEqual(supportedFlags(['--no-such-memprobe-flag', EXACT_EXTERNAL_FLAG, ...NO_INLINING_FLAGS]), [EXACT_EXTERNAL_FLAG, ...NO_INLINING_FLAGS]);
  assert.deepEqual(supportedFlags(['--max-inlined-bytecode-size=0', '--max_inlined_bytecode_size=0']), ['--max-inlined-bytecode-size=0', '--max_inlined_bytecode_size=0']);
});

test('exact external always; no inlining only while a heap profile is taken', () => {
  assert.deepEqual(measuredProcessFlags({ heapProfile: false }), [EXACT_EXTERNAL_FLAG]);
  assert.deepEqual(measuredProcessFlags({ heapProfile: true }), [EXACT_EXTERNAL_FLAG, ...NO_INLINING_FLAGS]);
});

test('a binary that cannot list its flags gets none', () => {
  assert.deepEqual(supportedFlags([EXACT_EXTERNAL_FLAG], '/nonexistent/node'), []);
});
