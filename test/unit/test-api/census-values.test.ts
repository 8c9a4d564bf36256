import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { census } from '../../../src/test-api/census.js';

class Session {
  constructor(readonly cookie: string) {}
}

test('a memprobe/test census names the leaking store by its code, not by the session ids it is keyed by', async () => {
  const token = randomBytes(12).toString('base64url');
  const store: Record<string, Session> = {};
  (globalThis as Record<string, unknown>).censusSessions = store;
  let n = 0;
  const found = await census(
    200,
    async (count) => {
      for (let i = 0; i < count; i++, n++) store[`${token}${n}`] = new Session(`${token}-cookie-${n}`);
    },
    null,
  );
  delete (globalThis as Record<string, unknown>).censusSessions;
  assert.equal(found.status, 'done');
  if (found.status !== 'done') return;
  assert.ok(found.growing.some((g) => g.name === 'Session'), JSON.stringify(found.growing));
  const text = JSON.stringify(found);
  assert.match(text, /censusSessions/, 'the path reaches the store');
  assert.ok(!text.includes(token.slice(0, 8)), text);
});
