/**
 * Headless Chromium for tests that must see a report the way a browser renders it. Chromium is not a
 * dependency: tests skip with a clear message when it is absent (CI installs Debian's `chromium` package).
 * Every browser runs in its own process group with a fresh profile, and the whole group is killed at the
 * end, so no renderer or zygote is left behind.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The browser to use (MEMPROBE_CHROMIUM overrides), or null. */
export function findChromium(): string | null {
  const override = process.env.MEMPROBE_CHROMIUM;
  if (override) return existsSync(override) ? override : null;
  return CANDIDATES.find((c) => existsSync(c)) ?? null;
}

export const CHROMIUM_MISSING = 'headless Chromium not found at /usr/bin/chromium (install it: apt-get install -y chromium); browser test skipped';

/** Flags that keep a headless run offline, quiet and independent of any profile. */
export const BASE_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-extensions',
  '--hide-scrollbars',
  '--mute-audio',
];

export interface BrowserRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // the group is already gone
  }
}

/** Runs Chromium on a local file with extra flags; resolves when it exits (killed after `timeoutMs`). */
export function runChromium(browser: string, file: string, flags: readonly string[], timeoutMs = 60_000): Promise<BrowserRun> {
  const profile = mkdtempSync(join(tmpdir(), 'memprobe-chromium-'));
  const child = spawn(browser, [...BASE_FLAGS, `--user-data-dir=${profile}`, ...flags, pathToFileURL(file).href], {
    detached: true, // its own process group: killGroup reaches every helper process it forks
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let timedOut = false;
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child.pid);
  }, timeoutMs);
  return new Promise((resolve) => {
    const finish = (code: number | null): void => {
      clearTimeout(timer);
      killGroup(child.pid);
      rmSync(profile, { recursive: true, force: true });
      resolve({ code, stdout, stderr, timedOut });
    };
    child.on('error', (error) => {
      stderr += String(error);
      finish(null);
    });
    child.on('close', (code) => finish(code));
  });
}

/** The DOM after parsing and rendering (`--dump-dom`). */
export async function dumpDom(browser: string, file: string): Promise<string> {
  const run = await runChromium(browser, file, ['--dump-dom']);
  if (run.timedOut || run.stdout.trim() === '') throw new Error(`chromium --dump-dom failed (code ${run.code}): ${run.stderr.slice(-2000)}`);
  return run.stdout;
}

/** Writes a PNG screenshot of the page. */
export async function screenshot(browser: string, file: string, png: string, width = 1280, height = 2000): Promise<void> {
  const run = await runChromium(browser, file, [`--screenshot=${png}`, `--window-size=${width},${height}`]);
  if (run.timedOut || !existsSync(png)) throw new Error(`chromium --screenshot failed (code ${run.code}): ${run.stderr.slice(-2000)}`);
}

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(bytes: Buffer): { width: number; height: number } | null {
  const signature = '89504e470d0a1a0a';
  if (bytes.length < 24 || bytes.subarray(0, 8).toString('hex') !== signature) return null;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}
