/** Checks of an output folder made before any work, so a bad path fails first and fast. */
import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { failureReason } from '../output-file.js';

/**
 * An output folder that exists must be a folder (mkdir would fail later with EEXIST, after the work). With
 * `writes` (the run will write into it), it, or the nearest folder above it that exists, must be writable: a
 * read-only or forbidden folder fails now, not after a soak's worth of work.
 */
export function checkOutDir(path: string, flag: string, problems: string[], writes = false): void {
  try {
    if (!statSync(path).isDirectory()) {
      problems.push(`${flag}: ${path} is a file, not a folder`);
      return;
    }
  } catch {
    // not there yet: created when needed
  }
  if (!writes) return;
  let existing = path;
  while (!exists(existing) && dirname(existing) !== existing) existing = dirname(existing);
  try {
    accessSync(existing, constants.W_OK);
  } catch (error) {
    problems.push(`${flag}: cannot write into ${existing}: ${failureReason(error)}`);
  }
}

/**
 * An output file's folder (or the nearest one above it that exists) must be writable: a long run whose report
 * cannot be written is refused before it starts, not lost after it. A device or pipe is written as it is.
 */
export function checkOutputFile(file: string | undefined, flag: string, problems: string[]): void {
  if (file === undefined) return;
  const path = resolve(file);
  try {
    if (!statSync(path).isFile()) return; // a device, a pipe (or a folder, which the write refuses by name)
  } catch {
    // not there yet
  }
  let existing = dirname(path);
  while (!exists(existing) && dirname(existing) !== existing) existing = dirname(existing);
  try {
    accessSync(existing, constants.W_OK);
  } catch (error) {
    problems.push(`${flag}: cannot write ${path}: ${failureReason(error)}`);
  }
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}
