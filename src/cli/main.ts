/**
 * The memprobe command line (run.ts: the commander program, one file per command). This entry loads two small
 * files first: a command that reads heap snapshots starts the read's worker thread (~65 ms to start) before the
 * command's modules load, so both happen at once and the worker waits for the read (heap/read-worker.ts); and the
 * command's modules start loading with commander's.
 */
import module from 'node:module';
import { startReadWorker } from '../engine/read-ahead.js';
import { preloadCommand, readsSnapshots } from './command-line.js';

// Node 22.8+ keeps V8's compiled code of the modules loaded from here on in the temporary directory: later starts
// skip compiling them (~30 ms of the ~0.35 s an `inspect` of a small snapshot takes on Node 26). Older Nodes lack it.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
const argv = process.argv.slice(2);
if (readsSnapshots(argv)) startReadWorker();
preloadCommand(argv);
const { run } = await import('./run.js');
await run(process.argv);
