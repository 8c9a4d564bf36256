import assert from 'node:assert/strict';
import { test } from 'node:test';
import { looksLikeName } from '../../../src/heap/labels.js';
import { keyText } from '../../../src/heap/samples.js';

test('names that read as code stay; ids, tokens, URLs and addresses are data', () => {
  for (const name of ['cookie', 'originalMaxAge', '_events', '$state', 'get process', 'set value', '<symbol kResource>', 'maxListenersCount', 'x1', 'int32Array', 'sha256Hash', 'user42', '#t', '#cache'])
    assert.ok(looksLikeName(name), name);
  for (const name of ['HBdH-VYXq3nd0aZ8sFqLcT1kP', 'a3f9c0d2e4b5a6c7', 'tk5f0e3c9a1b2d', 'item_12345', 'user@example.com', '/api/items/12', 'method=GET', 'Bearer abc', `a${'b'.repeat(40)}`])
    assert.ok(!looksLikeName(name), name);
});

test('a key as data: its kind and length, its characters only with showValues (ids cut short)', () => {
  assert.equal(keyText('QTmKrWqAl5hHi1RbU7iEvey25b71pPXg', false), 'string(32)');
  assert.equal(keyText('QTmKrWqAl5hHi1RbU7iEvey25b71pPXg', true), '"QTmKrWqA…"');
});
