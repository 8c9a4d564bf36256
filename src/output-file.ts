/**
 * Writing output files without harming what is at the path already.
 * - A regular file (or none) is replaced whole: the data goes to a new file in the same folder, then is renamed
 *   over the path. Nothing at the path is removed first, a reader never sees half a file, and a failed write
 *   leaves the old file as it was.
 * - A character device or FIFO (`/dev/null`, `/dev/stdout`, a named pipe) is written into as it is.
 * - A folder, or anything else, is refused.
 * Heap snapshots, heap profiles and heap summaries hold strings of the process (tokens, passwords): `private`
 * files are created readable by their owner only (the new file gets mode 0600 whatever the old one had).
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  createWriteStream,
  openSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  type WriteStream,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { MemprobeError } from './errors.js';

const PRIVATE_FILE_MODE = 0o600;
const PUBLIC_FILE_MODE = 0o644;

/** Why a path cannot take output, as one line; raised by the functions below. */
export class OutputPathError extends MemprobeError {
  constructor(message: string) {
    super('E_OUTPUT', message);
    this.name = 'OutputPathError';
  }
}

type Target = { readonly kind: 'replace'; readonly path: string } | { readonly kind: 'stream'; readonly path: string };

/** Where output for `file` goes: through the links, to a file to replace or a device or FIFO to write into. */
function target(file: string): Target {
  const path = resolve(file);
  let real = path;
  try {
    real = realpathSync(path);
  } catch {
    return { kind: 'replace', path }; // nothing there yet (or a dangling link: replaced by the file)
  }
  const stat = statSync(real);
  if (stat.isFile()) return { kind: 'replace', path: real };
  if (stat.isCharacterDevice() || stat.isFIFO()) return { kind: 'stream', path: real };
  if (stat.isDirectory()) throw new OutputPathError(`${path} is a folder, not a file`);
  throw new OutputPathError(`${path} is not a regular file, a device or a pipe`);
}

/** A new file beside `path`, created exclusively (O_EXCL) with `mode`. */
function siblingTemp(path: string, mode: number): string {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  closeSync(openSync(temp, 'wx', mode));
  return temp;
}

/** Writes `data` to `file` (see the module comment); `private`: mode 0600. */
export function writeOutputFile(file: string, data: string, options: { private?: boolean } = {}): void {
  const where = target(file);
  if (where.kind === 'stream') {
    writeFileSync(where.path, data);
    return;
  }
  const temp = siblingTemp(where.path, options.private ? PRIVATE_FILE_MODE : PUBLIC_FILE_MODE);
  try {
    writeFileSync(temp, data);
    renameSync(temp, where.path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/** An output file being written: `commit()` puts it in place, `discard()` drops it (the old file stays). */
export interface PendingOutput {
  /** Where to write now: a temporary sibling, or the device itself. */
  readonly path: string;
  commit(): void;
  discard(): void;
}

/** For a writer that opens the path itself (V8's writeHeapSnapshot): a file to fill, then commit. */
export function pendingOutput(file: string, options: { private?: boolean } = {}): PendingOutput {
  const where = target(file);
  if (where.kind === 'stream') return { path: where.path, commit: () => undefined, discard: () => undefined };
  const temp = siblingTemp(where.path, options.private ? PRIVATE_FILE_MODE : PUBLIC_FILE_MODE);
  return {
    path: temp,
    commit: () => renameSync(temp, where.path),
    discard: () => rmSync(temp, { force: true }),
  };
}

/** Has `write` (a writer that opens the path itself, like V8's writeHeapSnapshot) fill a private output file. */
export function writePrivateWith(file: string, write: (path: string) => void): void {
  const output = pendingOutput(file, { private: true });
  try {
    write(output.path);
    output.commit();
  } catch (error) {
    output.discard();
    throw error;
  }
}

/** A stream into a private output file; the file is put in place when `commit()` is called after the stream closed. */
export function createPrivateWriteStream(file: string): { stream: WriteStream; output: PendingOutput } {
  const output = pendingOutput(file, { private: true });
  return { stream: createWriteStream(output.path), output };
}

/** Refuses an output path that names one of the command's inputs (through links too): it would be overwritten. */
export function refuseInputAsOutput(output: string | undefined, inputs: readonly string[], flag: string): void {
  if (output === undefined) return;
  let out;
  try {
    out = statSync(output);
  } catch {
    return; // nothing there yet: not an input
  }
  for (const input of inputs) {
    try {
      const stat = statSync(input);
      if (stat.dev === out.dev && stat.ino === out.ino)
        throw new OutputPathError(`${flag}: ${output} is one of the inputs; name another file`);
    } catch (error) {
      if (error instanceof OutputPathError) throw error;
    }
  }
}
