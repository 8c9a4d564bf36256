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
  const npm = (...args) => spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', [...args, '--prefix', folder, '--no-audit', '--no-fund'], { stdio: ['ignore', 'inherit', 'pipe'] });
  let run = npm('ci');
  // npm ci refuses a lockfile without the entry of a platform-only optional package (vite's Windows helper) that
  // npm itself leaves out on Linux; npm install --no-save installs the same locked versions and writes nothing.
  if (run.status !== 0 && /in sync/.test(String(run.stderr))) run = npm('install', '--no-save');
  if (run.status !== 0) {
    process.stderr.write(run.stderr);
    console.error(`memprobe tests: could not install ${folder} (npm exited ${run.status}); its tests will be skipped`);
  }
}
