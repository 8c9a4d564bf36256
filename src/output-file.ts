/**
 * Writing output files without harming what is at the path already.
 * - A regular file (or none) is replaced whole: the data goes to a new file in the same folder, then is renamed
 *   over the path. Nothing at the path is removed first, a reader never sees half a file, and a failed write
 *   leaves the old file as it was.
 * - A character device or FIFO (`/dev/null`, `/dev/stdout`, a named pipe) is written into as it is.
 * - A folder, or anything else, is refused.
 * - A write that fails (ENOSPC, EIO, EROFS, EACCES) removes the temporary file and throws one OutputWriteError
 *   naming the path asked for: no partial file is left under the final name, nor beside it.
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
import { MemprobeError, OutputWriteError } from './errors.js';

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

/** `no space left on device (ENOSPC)` of Node's `ENOSPC: no space left on device, write '/x/.y.tmp'`. */
export function failureReason(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  if (error instanceof MemprobeError || typeof code !== 'string') return (error as Error).message;
  const text = message.replace(/^[A-Z]+: /, '').replace(/, \w+( '.*')?$/, '');
  return `${text} (${code})`;
}

/** The error to throw for a failed write of `path` (an OutputWriteError passes through as it is). */
export function writeFailure(path: string, error: unknown): MemprobeError {
  if (error instanceof OutputWriteError || error instanceof OutputPathError) return error;
  return new OutputWriteError(path, failureReason(error), { cause: error });
}

/** A new file beside `path`, created exclusively (O_EXCL) with `mode`. */
function siblingTemp(path: string, mode: number): string {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    closeSync(openSync(temp, 'wx', mode));
  } catch (error) {
    throw writeFailure(path, error);
  }
  return temp;
}

/** Writes `data` to `file` (see the module comment); `private`: mode 0600. */
export function writeOutputFile(file: string, data: string, options: { private?: boolean } = {}): void {
  const where = target(file);
  if (where.kind === 'stream') {
    try {
      writeFileSync(where.path, data);
    } catch (error) {
      throw writeFailure(where.path, error);
    }
    return;
  }
  const temp = siblingTemp(where.path, options.private ? PRIVATE_FILE_MODE : PUBLIC_FILE_MODE);
  try {
    writeFileSync(temp, data);
    renameSync(temp, where.path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw writeFailure(where.path, error);
  }
}

/** An output file being written: `commit()` puts it in place, `discard()` drops it (the old file stays). */
export interface PendingOutput {
  /** Where to write now: a temporary sibling, or the device itself. */
  readonly path: string;
  /** The path asked for, which error messages name. */
  readonly final: string;
  commit(): void;
  discard(): void;
}

/** For a writer that opens the path itself (V8's writeHeapSnapshot): a file to fill, then commit. */
export function pendingOutput(file: string, options: { private?: boolean } = {}): PendingOutput {
  const where = target(file);
  if (where.kind === 'stream')
    return { path: where.path, final: where.path, commit: () => undefined, discard: () => undefined };
  const temp = siblingTemp(where.path, options.private ? PRIVATE_FILE_MODE : PUBLIC_FILE_MODE);
  const discard = (): void => rmSync(temp, { force: true });
  return {
    path: temp,
    final: where.path,
    commit: () => {
      try {
        renameSync(temp, where.path);
      } catch (error) {
        discard();
        throw writeFailure(where.path, error);
      }
    },
    discard,
  };
}

/** Has `write` (a writer that opens the path itself, like V8's writeHeapSnapshot) fill a private output file. */
export function writePrivateWith(file: string, write: (path: string) => void): void {
  const output = pendingOutput(file, { private: true });
  try {
    write(output.path);
  } catch (error) {
    output.discard();
    throw writeFailure(output.final, error);
  }
  output.commit();
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
