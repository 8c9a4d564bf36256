import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { decodeJsonString, JsonStringError } from '../../../src/heap/json-string.js';
import { parseHeapSnapshotChunks } from '../../../src/heap/reader.js';
import { syntheticSnapshot } from '../../support/heap-fixtures.js';

const decode = (jsonBody: string): string => {
  const bytes = Buffer.from(jsonBody, 'utf8');
  return decodeJsonString(bytes, 0, bytes.length);
};

/** Cuts a buffer into chunks of the given sizes (cycling), so every boundary position gets exercised. */
function* chunked(bytes: Buffer, sizes: readonly number[]): Generator<Buffer> {
  let i = 0;
  let k = 0;
  while (i < bytes.length) {
    const size = sizes[k++ % sizes.length]!;
    yield bytes.subarray(i, i + size);
    i += size;
  }
}

/** A snapshot whose strings table holds `strings` (plus the names the synthetic builder adds). */
function snapshotWithStrings(strings: readonly string[]): Buffer {
  return Buffer.from(syntheticSnapshot([{ type: 'synthetic', name: '', selfSize: 0 }], { strings }), 'utf8');
}

test('simple escapes, \\u escapes and a surrogate pair decode as JSON.parse does', () => {
  assert.equal(decode('a\\nb\\"c\\\\d\\/e\\tf\\rg\\bh\\fi'), 'a\nb"c\\d/e\tf\rg\bh\fi');
  assert.equal(decode('\\u00e9\\u4e2d'), 'é中');
  assert.equal(decode('\\ud83d\\ude00'), '😀');
  assert.equal(decode('x\\uD83D\\uDE00y'), 'x😀y');
  // V8 writes lone surrogates as escapes; they stay lone code units.
  assert.equal(decode('\\ud800'), '\ud800');
  assert.equal(decode('é中😀 raw'), 'é中😀 raw');
});

test('bad escapes throw with the position of the backslash', () => {
  assert.throws(() => decode('ab\\x'), (e: unknown) => e instanceof JsonStringError && e.position === 2);
  assert.throws(() => decode('ab\\u12g4'), (e: unknown) => e instanceof JsonStringError && e.position === 2);
  assert.throws(() => decode('ab\\u12'), JsonStringError);
  assert.throws(() => decode('ab\\'), JsonStringError);
});

test('strings split at every byte (escapes, multi-byte UTF-8, surrogate pairs) read back unchanged', () => {
  const strings = ['plain', 'é', '中文字', '😀 emoji', 'quote " and \\ backslash', 'line\nbreak\ttab', '\u0001control', 'a\ud800lone', '\u2028sep'];
  const bytes = snapshotWithStrings(strings);
  const expected = JSON.parse(bytes.toString('utf8')).strings as string[];
  for (const sizes of [[1], [2], [3], [5, 1, 7], [64]]) {
    for (const block of [undefined, 16, 40]) {
      // Tiny table blocks move entries cut by a block end to the next block.
      const snapshot = parseHeapSnapshotChunks('strings.heapsnapshot', chunked(bytes, sizes), bytes.length, block);
      assert.deepEqual(snapshot.strings.toArray(), expected, `chunk sizes ${sizes.join(',')}, block ${block}`);
    }
  }
});

test('any strings table survives any chunking (property)', () => {
  fc.assert(
    fc.property(
      fc.array(fc.string({ unit: 'binary', maxLength: 40 }), { maxLength: 12 }),
      fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 5 }),
      fc.integer({ min: 8, max: 200 }),
      (strings, sizes, block) => {
        const bytes = snapshotWithStrings(strings);
        const expected = JSON.parse(bytes.toString('utf8')).strings as string[];
        const snapshot = parseHeapSnapshotChunks('p.heapsnapshot', chunked(bytes, sizes), bytes.length, block);
        assert.deepEqual(snapshot.strings.toArray(), expected);
      },
    ),
    { numRuns: 150 },
  );
});

test('a string longer than the read chunk is assembled across chunks', () => {
  const long = `${'x'.repeat(70_000)}é\\"${'y'.repeat(10)}`;
  const bytes = snapshotWithStrings([long]);
  const snapshot = parseHeapSnapshotChunks('long.heapsnapshot', chunked(bytes, [4096]), bytes.length);
  assert.ok(snapshot.strings.toArray().includes(long));
});

test('a bad escape in the strings table fails at its byte, even when nothing reads that string', () => {
  const text = syntheticSnapshot([{ type: 'synthetic', name: '', selfSize: 0 }], { strings: ['fine', 'BAD'] }).replace('"BAD"', '"ba\\qd"');
  const at = Buffer.from(text).indexOf('\\q') + 1;
  assert.throws(
    () => parseHeapSnapshotChunks('bad.heapsnapshot', chunked(Buffer.from(text), [7])),
    (e: unknown) => e instanceof Error && /bad escape '\\q'/.test(e.message) && (e as { offset?: number }).offset === at,
  );
});
