import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { MemprobeError } from '../errors.js';
import { clearForPrivateFile, PRIVATE_FILE_FLAG, PRIVATE_FILE_MODE } from '../private-file.js';

/** Writes a report file, creating its folder; a failure is a tool error naming the file. */
export function writeReportFile(file: string, content: string, mode = 0o644): string {
  const path = resolve(file);
  try {
    mkdirSync(dirname(path), { recursive: true });
    const isPrivate = mode === PRIVATE_FILE_MODE;
    if (isPrivate) clearForPrivateFile(path);
    writeFileSync(path, content, { mode, flag: isPrivate ? PRIVATE_FILE_FLAG : 'w' });
  } catch (error) {
    throw new MemprobeError('E_WRITE', `cannot write ${path}: ${(error as Error).message}`);
  }
  return path;
}
