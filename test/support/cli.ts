/**
 * Runs the real memprobe CLI (bin/memprobe.js) as a child process, the way users run it.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const BIN = join(ROOT, 'bin', 'memprobe.js');
export const fixture = (name: string): string => join(ROOT, 'fixtures', 'probes', name);

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Processes still alive afterwards that carry this run's tag in their environment. */
  readonly leftovers: number[];
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'memprobe-test-'));
}

/** Pids of live processes whose environment holds MEMPROBE_TEST_TAG=tag (Linux /proc). */
export function processesTagged(tag: string): number[] {
  const found: number[] = [];
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return found;
  }
  for (const pid of entries) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      if (/^State:\s+Z/m.test(status)) continue; // zombies are already dead
      if (readFileSync(`/proc/${pid}/environ`, 'utf8').includes(`MEMPROBE_TEST_TAG=${tag}`)) found.push(Number(pid));
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

/**
 * Tagged processes still alive once the run has had a moment to settle: a process SIGKILLed as memprobe exits
 * (its keeper) can still be listed for a few milliseconds; an orphan is still there after the wait.
 */
export async function settledLeftovers(tag: string, waitMs = 1000): Promise<number[]> {
  const deadline = Date.now() + waitMs;
  let left = processesTagged(tag);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    left = processesTagged(tag);
  }
  return left;
}

export interface RunOptions {
  readonly cwd?: string;
  /** Called once with the spawned process, e.g. to send SIGINT. */
  readonly onSpawn?: (child: import('node:child_process').ChildProcess, output: () => string) => void;
  readonly timeoutMs?: number;
}

export function runCli(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  const tag = randomUUID();
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, MEMPROBE_TEST_TAG: tag, CI: 'true', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  options.onSpawn?.(child, () => stdout + stderr);
  const killer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
  return new Promise((resolve) => {
    child.on('close', async (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stdout, stderr, leftovers: await settledLeftovers(tag) });
    });
  });
}

/** One clear line on stderr, no stack trace. */
export function assertOneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, stderr);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(stderr, /\n\s+at /);
}
