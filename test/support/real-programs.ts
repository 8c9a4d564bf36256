/**
 * The programs built from real npm packages (fixtures/real-programs, its own package.json: `npm ci --prefix
 * fixtures/real-programs` installs them), and a temporary folder per soak, removed when the test file ends.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after } from 'node:test';
import { ROOT, tempDir } from './cli.js';

export const REAL_PROGRAMS = join(ROOT, 'fixtures', 'real-programs');

/** `skip` for tests that need the folder installed: false, or why they are skipped. */
export const realProgramsSkip: string | false = existsSync(join(REAL_PROGRAMS, 'node_modules', 'express-session'))
  ? false
  : 'fixtures/real-programs is not installed (npm ci --prefix fixtures/real-programs)';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A temporary folder removed after the test file. */
export function soakDir(): string {
  const dir = tempDir();
  dirs.push(dir);
  return dir;
}
