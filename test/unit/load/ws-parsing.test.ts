import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { idOf, numberAfter, wsErrorType } from '../../../src/load/ws-load.js';

const MESSAGE = Buffer.from('{"type":"notification","id":"n7","seq":7,"userId":"*","title":"t","data":{"mpBid":12,"mpT":1700000000123.456},"createdAt":1700000000000,"sentAt":1700000000124,"queued":false}');
const key = (text: string): Buffer => Buffer.from(text);

test('the send stamp and broadcast key are read from the bytes without parsing the whole message', () => {
  assert.equal(numberAfter(MESSAGE, key('"mpT":')), 1700000000123.456);
  assert.equal(numberAfter(MESSAGE, key('"mpBid":')), 12);
  assert.equal(numberAfter(MESSAGE, key('"sentAt":')), 1700000000124);
  assert.equal(numberAfter(MESSAGE, key('"nope":')), null);
  assert.equal(numberAfter(Buffer.from('{"t": -2.5e3}'), key('"t":')), -2500);
  assert.equal(numberAfter(Buffer.from('{"t":"x"}'), key('"t":')), null);
  assert.equal(idOf(MESSAGE), 'n7');
  assert.equal(idOf(Buffer.from('{"id": 42,"x":1}')), '42');
  assert.equal(idOf(Buffer.from('{"userId":"a"}')), null);
});

test('WebSocket client errors are named by type', () => {
  assert.equal(wsErrorType(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })), 'ECONNREFUSED');
  assert.equal(wsErrorType(new Error('Unexpected server response: 400')), 'http 400');
  assert.equal(wsErrorType(new Error('Opening handshake has timed out')), 'timeout');
  assert.equal(wsErrorType(new Error('something else')), 'ws error');
});

test('property: numbers read from the bytes equal what JSON.parse reads', () => {
  fc.assert(
    fc.property(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.double({ min: 1.6e12, max: 1.8e12, noNaN: true })), (x) => {
      const text = JSON.stringify({ a: 1, t: x, b: 'z' });
      assert.equal(numberAfter(Buffer.from(text), key('"t":')), (JSON.parse(text) as { t: number }).t);
    }),
  );
});
