import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLoadProgress } from '../../../src/cli/load-progress.js';

/** A stream that records what is written; a terminal of `columns` when `tty`. */
function fakeStream(tty: boolean, columns?: number): { stream: NodeJS.WriteStream; written: string[] } {
  const written: string[] = [];
  const stream = { isTTY: tty, columns, write: (chunk: string) => written.push(chunk) > 0 } as unknown as NodeJS.WriteStream;
  return { stream, written };
}

test('without a terminal: a line when a phase starts, then one every 5 s with the rate from the ticks', () => {
  let now = 0;
  const { stream, written } = fakeStream(false);
  const progress = createLoadProgress(stream, {}, () => now);
  progress.phase('measuring: 500/s for 10.0 s', 10_000);
  for (let s = 1; s <= 6; s++) {
    now = s * 1000;
    progress.tick(s * 500, s === 6 ? 3 : 0);
  }
  progress.done();
  assert.deepEqual(written, [
    'memprobe load: measuring: 500/s for 10.0 s\n',
    'memprobe load: measuring: 500/s for 10.0 s · 5/10 s · 5 s left · 500/s · 0 errors\n',
  ]);
});

test('on a terminal: the live line is redrawn in place, cut to the width, and ended when the next phase starts', () => {
  let now = 0;
  const { stream, written } = fakeStream(true, 40);
  const progress = createLoadProgress(stream, {}, () => now);
  progress.phase('step 1/2: 1 user for 5.0 s', 5_000);
  now = 2_000;
  progress.phase('step 2/2: 2 users for 5.0 s', 5_000);
  progress.done();
  assert.ok(written.every((w) => w === '\n' || (w.startsWith('\r\x1b[2K') && w.length - 5 <= 40)), JSON.stringify(written));
  assert.equal(written.filter((w) => w === '\n').length, 2, JSON.stringify(written));
  assert.ok(written.some((w) => w.includes('memprobe load: step 2/2')));
});
