// memprobe is an ES module package: jest loads it (and these .mjs tests) through its ESM support, so run jest with
// `node --experimental-vm-modules`; no babel transform is needed.
export default {
  rootDir: '..',
  testMatch: ['<rootDir>/jest/**/*.test.mjs'],
  setupFilesAfterEnv: ['memprobe/jest'],
  transform: {},
  testEnvironment: 'node',
  // A leak check runs thousands of iterations, and a failing one takes two heap snapshots: more than the 5 s default.
  testTimeout: 30_000,
};
