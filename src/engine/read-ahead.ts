/**
 * For a caller about to read a big heap snapshot: the read's worker thread starts now, while the caller loads the
 * rest of its modules (the CLI's main.ts does, for inspect, diff and view). Loads nothing but node:worker_threads.
 */
export { startReadWorker } from '../heap/read-worker.js';
