import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { MemprobeError } from '../errors.js';
import { PRIVATE_FILE_MODE, writePrivateFile } from '../private-file.js';

/** Writes a report file, creating its folder; a failure is a tool error naming the file. */
export function writeReportFile(file: string, content: string, mode = 0o644): string {
  const path = resolve(file);
  try {
    mkdirSync(dirname(path), { recursive: true });
    if (mode === PRIVATE_FILE_MODE) writePrivateFile(path, content);
    else writeFileSync(path, content, { mode });
  } catch (error) {
    throw new MemprobeError('E_WRITE', `cannot write ${path}: ${(error as Error).message}`);
  }
  return path;
}
