/** Checks of an output folder made before any work, so a bad path fails first and fast. */
import { statSync } from 'node:fs';

/** An output folder that exists must be a folder (mkdir would fail later with EEXIST, after the work). */
export function checkOutDir(path: string, flag: string, problems: string[]): void {
  try {
    if (!statSync(path).isDirectory()) problems.push(`${flag}: ${path} is a file, not a folder`);
  } catch {
    // not there yet: created when needed
  }
}
