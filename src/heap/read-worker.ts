/**
 * The thread of a parallel read (edges-worker.ts), which can be started ahead of the read: a worker takes ~50 ms
 * to start and ~15 ms more to load its modules, and a read that starts it itself parses alone meanwhile. The CLI
 * starts one before loading a heap command's modules, so both happen at once. This file loads nothing else.
 */
import { Worker } from 'node:worker_threads';

/** A worker started ahead waits this long for its job, then ends (a read that never came). */
export const READ_WORKER_IDLE_MS = 30_000;
/** A worker started ahead is taken only this long: well before it would end. */
const TAKE_WITHIN_MS = READ_WORKER_IDLE_MS / 2;

interface Started {
  readonly worker: Worker;
  readonly at: number;
  /** [0] is 1 once the worker's modules are loaded and it waits for its job. */
  readonly ready: Int32Array;
}

let ahead: Started | null = null;

function startWorker(): Started {
  const ready = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(new URL('./edges-worker.js', import.meta.url), { workerData: { ready } });
  // Never what keeps the process alive: an idle worker ends with it.
  worker.unref();
  return { worker, at: performance.now(), ready };
}

/** Starts the next parallel read's worker now (once; a no-op while one waits). */
export function startReadWorker(): void {
  ahead ??= startWorker();
}

/** Whether a worker started ahead waits for its job (its modules are loaded). */
export function readWorkerWaiting(): boolean {
  return ahead !== null && Atomics.load(ahead.ready, 0) === 1;
}

/** The worker for a read, which then posts it its job (EdgesWorkerData): the one started ahead, or a new one. */
export function takeReadWorker(): Worker {
  const taken = ahead;
  ahead = null;
  if (taken && performance.now() - taken.at < TAKE_WITHIN_MS) return taken.worker;
  if (taken) void taken.worker.terminate();
  return startWorker().worker;
}
