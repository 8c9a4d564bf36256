// node --test node-test/sessions.test.mjs  (the second test fails on purpose: it shows the failure message)
import { test } from 'node:test';
import { assertNoLeak, assertReleased } from 'memprobe/test';
import { bounded, leaky, Session } from '../shared/sessions.mjs';

test('a bounded session store does not leak', async () => {
  await assertNoLeak(() => bounded.open('ada'), { budget: '64B/iteration' });
});

test('a dropped session is collected', async () => {
  await assertReleased(() => new Session(-1, 'grace'));
});

test('a session store without a cap leaks (fails on purpose)', async () => {
  await assertNoLeak(() => leaky.open('ada'), { budget: '64B/iteration' });
});
