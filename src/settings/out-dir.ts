/** Checks of an output folder made before any work, so a bad path fails first and fast. */
import { accessSync, constants, statSync } from 'node:fs';
import { dirname } from 'node:path';
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

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}
