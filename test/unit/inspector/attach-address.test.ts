import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAttachAddress } from '../../../src/inspector/running-process.js';

test('--attach takes HOST:PORT, http://HOST:PORT and ws://HOST:PORT/ID on loopback', () => {
  assert.deepEqual(parseAttachAddress('127.0.0.1:9229'), { http: 'http://127.0.0.1:9229' });
  assert.deepEqual(parseAttachAddress('localhost:9230'), { http: 'http://localhost:9230' });
  assert.deepEqual(parseAttachAddress('http://127.0.0.1:9229'), { http: 'http://127.0.0.1:9229' });
  assert.deepEqual(parseAttachAddress('[::1]:9229'), { http: 'http://[::1]:9229' });
  assert.deepEqual(parseAttachAddress('ws://127.0.0.1:9229/0f2c-11'), { ws: 'ws://127.0.0.1:9229/0f2c-11' });
});

test('--attach refuses other hosts (an inspector runs any code), a missing port and other schemes', () => {
  assert.throws(() => parseAttachAddress('10.0.0.5:9229'), /only a loopback inspector/);
  assert.throws(() => parseAttachAddress('ws://example.test:9229/x'), /only a loopback inspector/);
  assert.throws(() => parseAttachAddress('127.0.0.1'), /expected HOST:PORT/);
  assert.throws(() => parseAttachAddress('https://127.0.0.1:9229'), /expected HOST:PORT/);
  assert.throws(() => parseAttachAddress('::'), /expected HOST:PORT/);
});
