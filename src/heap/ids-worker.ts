/**
 * Worker side of readNodeIdsPair (ids-pair.ts): reads one file's node ids and sends them back by transfer.
 * A failure sends nothing but the flag: the main thread then reads the file itself, which throws the exact
 * error (file, section, byte offset).
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import { Phases } from '../core/phases.js';
import { readNodeIds } from './reader.js';

/** What the worker posts: the ids, and the bytes it read for them. */
export interface IdsResult {
  readonly ids: Uint32Array;
  readonly bytesRead: number;
}

export interface IdsWorkerData {
  readonly file: string;
  /** [0]: 0 reading, 1 done (ids posted), -1 failed. */
  readonly state: Int32Array;
  readonly port: MessagePort;
}

const data = workerData as IdsWorkerData;
let ok = false;
try {
  const phases = new Phases();
  const ids = readNodeIds(data.file, { phases });
  const result: IdsResult = { ids, bytesRead: phases.totalBytesRead };
  data.port.postMessage(result, [ids.buffer as ArrayBuffer]);
  ok = true;
} catch {
  // The main thread reads the file again and reports the error.
}
Atomics.store(data.state, 0, ok ? 1 : -1);
Atomics.notify(data.state, 0);
