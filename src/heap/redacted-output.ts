/**
 * Snapshots written redacted (`snapshot --redact`, `soak --snapshots --redact`). The snapshot goes to a private
 * (0600) temporary file beside its output, is redacted into the output (itself written to a temporary sibling
 * and renamed into place), and the unredacted temporary is removed whatever happens: on success, on a failed
 * redaction and on a failed write. Only the redacted file is left under the output's name.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { OutputWriteError } from '../errors.js';
import { writeFailure } from '../output-file.js';
import { redactSnapshotFile, type RedactSummary } from './redact-file.js';

/** A hidden, private, new file beside `output` for the unredacted snapshot. */
export function unredactedPath(output: string): string {
  const path = resolve(output);
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.unredacted.tmp`);
  try {
    closeSync(openSync(temp, 'wx', 0o600));
  } catch (error) {
    throw writeFailure(path, error);
  }
  return temp;
}

/**
 * Has `write` fill a private temporary file with a snapshot, then redacts it into `output` (mode 0600).
 *
 * @example
 * ```ts
 * await writeRedacted('app.heapsnapshot', (raw) => writeSnapshot(client, raw));
 * ```
 */
export async function writeRedacted(
  output: string,
  write: (raw: string) => Promise<unknown> | void,
): Promise<RedactSummary> {
  const raw = unredactedPath(output);
  try {
    await write(raw);
    return redactSnapshotFile(raw, output, [], { private: true });
  } catch (error) {
    // The unredacted temporary is ours, not the user's: the failure names the output.
    if (error instanceof OutputWriteError && error.file === raw)
      throw new OutputWriteError(resolve(output), error.reason);
    throw error;
  } finally {
    rmSync(raw, { force: true });
  }
}

type SnapshotSet = Readonly<Record<'baseline' | 'target' | 'final', string>>;

/**
 * Runs `run` with the snapshot files swapped for private temporaries, then redacts each snapshot it wrote into
 * its real name. `run`'s notes say which snapshot could not be redacted (it is then absent, never unredacted).
 */
export async function withRedactedSnapshots<
  T extends { readonly notes: readonly string[]; readonly fault?: { readonly message: string } | null },
>(
  files: SnapshotSet | null | undefined,
  redact: boolean,
  run: (files: SnapshotSet | null | undefined) => Promise<T>,
): Promise<T> {
  if (!files || !redact) return run(files);
  const raw: SnapshotSet = {
    baseline: unredactedPath(files.baseline),
    target: unredactedPath(files.target),
    final: unredactedPath(files.final),
  };
  const rawFiles = Object.values(raw);
  try {
    // The temporaries exist (created exclusively): a snapshot that was never written must not look like one.
    for (const file of rawFiles) rmSync(file, { force: true });
    let result = await run(raw);
    // A snapshot that could not be written is named as the user knows it, not by its temporary name.
    const { fault } = result;
    if (fault) {
      let message = fault.message;
      for (const key of ['baseline', 'target', 'final'] as const)
        message = message.replaceAll(raw[key], resolve(files[key]));
      result = { ...result, fault: { ...fault, message } };
    }
    const notes: string[] = [];
    for (const key of ['baseline', 'target', 'final'] as const) {
      if (!existsSync(raw[key])) continue;
      try {
        redactSnapshotFile(raw[key], files[key], [], { private: true });
      } catch (error) {
        notes.push(`the ${key} snapshot could not be redacted and was removed: ${(error as Error).message}`);
      }
    }
    return notes.length === 0 ? result : { ...result, notes: [...result.notes, ...notes] };
  } finally {
    for (const file of rawFiles) rmSync(file, { force: true });
  }
}
