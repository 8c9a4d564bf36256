import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['vitest/**/*.test.mjs'],
    setupFiles: ['memprobe/vitest'],
    // A leak check runs thousands of iterations, and a failing one takes two heap snapshots: more than the 5 s default.
    testTimeout: 30_000,
  },
});
