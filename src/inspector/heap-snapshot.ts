/**
 * Streams HeapProfiler.takeHeapSnapshot chunks straight to a file (mode 0600): a snapshot is never
 * held whole in memory, and it holds every string of the program (tokens, passwords).
 */
import { finished } from 'node:stream/promises';
import { createPrivateWriteStream, writeFailure } from '../output-file.js';
import type { CdpClient } from './cdp-client.js';

export async function writeSnapshot(client: CdpClient, file: string): Promise<number> {
  const { stream: out, output } = createPrivateWriteStream(file);
  let bytes = 0;
  let failed: Error | null = null;
  out.on('error', (error) => (failed = error));
  const stop = client.on('HeapProfiler.addHeapSnapshotChunk', (params) => {
    const { chunk } = params as { chunk: string };
    bytes += Buffer.byteLength(chunk);
    out.write(chunk);
  });
  try {
    await client.send(
      'HeapProfiler.takeHeapSnapshot',
      { reportProgress: false, captureNumericValue: false },
      10 * 60_000,
    );
  } finally {
    stop();
    out.end();
  }
  // finished() also settles for a stream that already failed and closed (ENOSPC, EIO; once('close') would wait
  // forever); the failure is in `failed` either way.
  await finished(out).catch(() => undefined);
  if (out.errored) failed ??= out.errored;
  if (failed) {
    output.discard();
    throw writeFailure(output.final, failed);
  }
  output.commit();
  return bytes;
}
