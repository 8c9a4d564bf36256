import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { writeFailure, writeOutputFile } from '../output-file.js';

/** Writes a report file, creating its folder; a failure is a tool error naming the file. `private`: mode 0600. */
export function writeReportFile(file: string, content: string, options: { private?: boolean } = {}): string {
  const path = resolve(file);
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeOutputFile(path, content, options);
  } catch (error) {
    throw writeFailure(path, error);
  }
  return path;
}
