#!/usr/bin/env node
/**
 * Installs the folders whose tests run real npm packages (their own package.json and lockfile, devDependencies
 * only): `npm ci` in each, skipped when what is installed is at least as new as the lockfile. A folder that
 * cannot be installed (no registry, no cache) is reported; its tests then skip with the same message.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

const FOLDERS = ['fixtures/real-programs', 'examples/test-suites'];

for (const folder of FOLDERS) {
  const lock = join(folder, 'package-lock.json');
  if (!existsSync(lock)) continue;
  const installed = join(folder, 'node_modules', '.package-lock.json');
  if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs) continue;
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const run = spawnSync(npm, ['ci', '--prefix', folder, '--no-audit', '--no-fund'], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (run.status !== 0) console.error(`memprobe tests: could not install ${folder} (npm ci exited ${run.status}); its tests will be skipped`);
}
