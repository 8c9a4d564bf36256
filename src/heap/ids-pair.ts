/**
 * BASE and TARGET of the leak method only give node ids; reading both is a third of a three-snapshot diff's
 * read time on big files. They are read at once, TARGET on a worker thread, BASE on this one. The join is
 * synchronous (Atomics.wait, receiveMessageOnPort), so callers keep a plain function.
 */
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { IdsResult, IdsWorkerData } from './ids-worker.js';
import { PARALLEL_MIN_BYTES } from './parallel-reader.js';
import { phase, type Phases } from '../core/phases.js';
import { readNodeIds } from './reader.js';

export interface IdsPairOptions {
  readonly phases?: Phases | undefined;
  /** Default PARALLEL_MIN_BYTES: below it (both files together), a thread costs more than it saves. */
  readonly parallelMinBytes?: number;
}

/** A worker that answers nothing for this long is given up on: TARGET is then read on this thread. */
const WORKER_WAIT_MS = 10 * 60_000;

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0; // the read below reports a missing file as one line
  }
}

/**
 * @example
 * ```ts
 * const [baseIds, targetIds] = readNodeIdsPair('base.heapsnapshot', 'target.heapsnapshot');
 * ```
 */
export function readNodeIdsPair(
  base: string,
  target: string,
  options: IdsPairOptions = {},
): [Uint32Array, Uint32Array] {
  const { phases } = options;
  const bytes = sizeOf(base) + sizeOf(target);
  if (bytes < (options.parallelMinBytes ?? PARALLEL_MIN_BYTES) || sizeOf(target) === 0) {
    return [readNodeIds(base, { phases }), readNodeIds(target, { phases })];
  }
  return phase(phases, `read ids ${basename(base)} + ${basename(target)}`, () => {
    const state = new Int32Array(new SharedArrayBuffer(4));
    const { port1, port2 } = new MessageChannel();
    const data: IdsWorkerData = { file: target, state, port: port2 };
    const worker = new Worker(new URL('./ids-worker.js', import.meta.url), { workerData: data, transferList: [port2] });
    worker.unref();
    try {
      const baseIds = readNodeIds(base, { phases });
      Atomics.wait(state, 0, 0, WORKER_WAIT_MS);
      const done = Atomics.load(state, 0) === 1;
      const message = done ? (receiveMessageOnPort(port1)?.message as IdsResult | undefined) : undefined;
      // The worker's bytes are not in the progress line; they are in the phase's count.
      if (message) phases?.count(message.bytesRead);
      return [baseIds, message?.ids ?? readNodeIds(target, { phases })];
    } finally {
      port1.close();
      void worker.terminate();
    }
  });
}
