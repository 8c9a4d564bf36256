/** Everything src/index.ts loads on the first engine call, in one module. */
export { check } from './check.js';
export { diff, inspect, redact, snapshot } from './heap.js';
export { load } from './load.js';
export { merge } from './merge.js';
export { profile } from './profile.js';
export { soak } from './soak.js';
