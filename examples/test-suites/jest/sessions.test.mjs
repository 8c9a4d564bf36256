// node --experimental-vm-modules node_modules/jest/bin/jest.js --config jest/jest.config.mjs
// (the second test fails on purpose: it shows the failure message)
import { jest } from '@jest/globals';
import { bounded, leaky } from '../shared/sessions.mjs';

test('a bounded session store does not leak', async () => {
  const audit = jest.fn(); // records every call: cleared between batches by the matcher, so it does not read as a leak
  await expect(() => audit(bounded.open('ada'))).not.toLeak({ budget: '64B/iteration' });
});

test('a session store without a cap leaks (fails on purpose)', async () => {
  await expect(() => leaky.open('ada')).not.toLeak({ budget: '64B/iteration' });
});
