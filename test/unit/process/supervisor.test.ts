import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { supervise } from '../../../src/process/supervisor.js';

const dir = mkdtempSync(join(tmpdir(), 'memprobe-supervisor-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function module(name: string, source: string): string {
  const file = join(dir, name);
  writeFileSync(file, source);
  return file;
}

type Count = { readonly n: number };
const count = (value: unknown): Count | null => {
  const ok = typeof value === 'object' && value !== null && typeof (value as { n?: unknown }).n === 'number';
  return ok ? (value as Count) : null;
};

test('the channel gives the caller only messages that pass the guard, and counts the others', async () => {
  const echo = module(
    'echo.mjs',
    "process.on('message', (m) => { process.send('junk'); process.send({ n: m.n + 1 }); " +
      'process.send({ x: 1 }, () => process.exit(0)); });',
  );
  const seen: Count[] = [];
  const child = supervise<Count, Count>(
    { kind: 'fork', module: echo },
    { channel: { guard: count, onMessage: (m) => seen.push(m) } },
  );
  child.send({ n: 41 });
  const exit = await child.closed;
  child.reap();
  assert.deepEqual(exit, { code: 0, signal: null });
  assert.deepEqual(seen, [{ n: 42 }]);
  assert.equal(child.rejected(), 2);
});

/** Longer than a node start on a loaded 2-core machine (the clock runs from the fork: 300 ms was not). */
const STALL_MS = 2500;

test('a child that sends nothing for the stall time is stopped, and the caller is told first', async () => {
  const quiet = module('quiet.mjs', 'process.send({ n: 1 }); setInterval(() => undefined, 1000);');
  const told: number[] = [];
  const seen: Count[] = [];
  const started = performance.now();
  const child = supervise<Count>(
    { kind: 'fork', module: quiet },
    {
      channel: { guard: count, onMessage: (m) => seen.push(m) },
      stall: { ms: STALL_MS, onStall: (ms) => told.push(ms) },
    },
  );
  const exit = await child.closed;
  child.reap();
  assert.deepEqual(told, [STALL_MS]);
  assert.deepEqual(seen, [{ n: 1 }]);
  assert.equal(exit.signal, 'SIGTERM');
  assert.ok(performance.now() - started >= STALL_MS);
});

test('terminate is SIGTERM once, then SIGKILL after the grace for a child that ignores it', async () => {
  const stubborn = module(
    'stubborn.mjs',
    "process.on('SIGTERM', () => undefined); process.send('up'); setInterval(() => undefined, 1000);",
  );
  let up: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (up = resolve));
  const child = supervise<string>(
    { kind: 'fork', module: stubborn },
    { channel: { guard: (v) => (v === 'up' ? v : null), onMessage: () => up() } },
  );
  await ready;
  child.terminate(200);
  child.terminate(60_000); // a second call does not replace the first
  const exit = await child.closed;
  child.reap();
  assert.equal(exit.signal, 'SIGKILL');
});
