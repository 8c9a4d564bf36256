/**
 * The memprobe command line (run.ts: the commander program, one file per command). This entry loads two small
 * files first: a command that reads heap snapshots starts the read's worker thread (~65 ms to start) before the
 * command's modules load, so both happen at once and the worker waits for the read (heap/read-worker.ts).
 */
import { startReadWorker } from '../engine/read-ahead.js';
import { readsSnapshots } from './command-line.js';

if (readsSnapshots(process.argv.slice(2))) startReadWorker();
const { run } = await import('./run.js');
await run(process.argv);
