import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseHead, ResponseParseError, ResponseParser } from '../../../src/load/response-parser.js';

const parser = (): ResponseParser => new ResponseParser(64 * 1024, 1024 * 1024);

/** Feeds `text` in the given pieces; returns the response (or null) and what end() gives. */
function feed(text: string, cuts: number[], options: { head?: boolean; body?: boolean } = {}): ReturnType<ResponseParser['push']> {
  const p = parser();
  p.start(options.head ?? false, options.body ?? true);
  const bytes = Buffer.from(text, 'latin1');
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  let from = 0;
  let result: ReturnType<ResponseParser['push']> = null;
  for (const to of [...points, bytes.length]) {
    if (to < from) continue;
    const got = p.push(bytes.subarray(from, to));
    if (got !== null) result = got;
    from = to;
  }
  return result ?? p.end();
}

const CHUNKED = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: yes\r\n\r\n';

test('content-length, chunked and close-delimited bodies', () => {
  const fixed = feed('HTTP/1.1 201 Created\r\nContent-Length: 5\r\n\r\nhello', []);
  assert.deepEqual({ ...fixed, body: fixed?.body?.toString() }, { status: 201, keepAlive: true, body: 'hello' });
  assert.equal(feed(CHUNKED, [])?.body?.toString(), 'hello, world');
  const closing = feed('HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end', []);
  assert.deepEqual({ status: closing?.status, keepAlive: closing?.keepAlive, body: closing?.body?.toString() }, { status: 200, keepAlive: false, body: 'until the end' });
});

test('property: the response is the same however the bytes are split', () => {
  fc.assert(
    fc.property(fc.array(fc.nat({ max: 400 }), { maxLength: 8 }), (cuts) => {
      assert.equal(feed(CHUNKED, cuts)?.body?.toString(), 'hello, world');
      assert.equal(feed('HTTP/1.1 503 Busy\r\ncontent-length: 3\r\n\r\nbad', cuts)?.status, 503);
    }),
  );
});

test('no body for HEAD, 204 and 304; 100 Continue is skipped', () => {
  assert.equal(feed('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n', [], { head: true })?.status, 200);
  assert.equal(feed('HTTP/1.1 204 No Content\r\n\r\n', [])?.status, 204);
  assert.equal(feed('HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n', [])?.status, 304);
  assert.equal(feed('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok', [20])?.body?.toString(), 'ok');
});

test('keep-alive follows HTTP/1.0 and Connection headers; extra bytes end keep-alive', () => {
  assert.equal(parseHead('HTTP/1.0 200 OK\r\nContent-Length: 0', false).keepAlive, false);
  assert.equal(parseHead('HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0', false).keepAlive, true);
  assert.equal(parseHead('HTTP/1.1 200 OK\r\nConnection: Close\r\nContent-Length: 0', false).keepAlive, false);
  assert.equal(feed('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA', [])?.keepAlive, false);
});

test('bodies are kept only when asked for', () => {
  assert.equal(feed('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok', [], { body: false })?.body, null);
});

test('a cut-short response is null at end(); garbage and unasked bytes are parse errors', () => {
  const p = parser();
  p.start(false, false);
  assert.equal(p.push(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc')), null);
  assert.equal(p.end(), null);
  assert.throws(() => feed('SSH-2.0-OpenSSH\r\n\r\n', []), ResponseParseError);
  assert.throws(() => feed('HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n', []), ResponseParseError);
  assert.throws(() => feed('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', []), ResponseParseError);
  const idle = parser();
  assert.throws(() => idle.push(Buffer.from('HTTP/1.1 200 OK\r\n\r\n')), ResponseParseError);
  const big = new ResponseParser(100, 100);
  big.start(false, false);
  assert.throws(() => big.push(Buffer.from(`HTTP/1.1 200 OK\r\nX: ${'a'.repeat(200)}`)), ResponseParseError);
});
