import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readsSnapshots } from '../../../src/cli/command-line.js';
import { commandsFor } from '../../../src/cli/program.js';

test('only the invoked command is loaded; help and unknown words load them all', () => {
  assert.deepEqual(commandsFor(['--verbose', 'inspect', 'a.heapsnapshot']), ['inspect']);
  assert.ok(commandsFor([]).length > 5);
  assert.ok(commandsFor(['inspekt']).includes('inspect'));
});

test('the read worker starts ahead for the commands that read snapshots, not for their help', () => {
  assert.equal(readsSnapshots(['inspect', 'a.heapsnapshot']), true);
  assert.equal(readsSnapshots(['--verbose', 'diff', 'a', 'b', 'c']), true);
  assert.equal(readsSnapshots(['view', 'a.heapsnapshot']), true);
  assert.equal(readsSnapshots(['inspect', '--help']), false);
  assert.equal(readsSnapshots(['diff', '-h']), false);
  assert.equal(readsSnapshots(['soak', '--duration', '30s']), false);
  assert.equal(readsSnapshots([]), false);
});
