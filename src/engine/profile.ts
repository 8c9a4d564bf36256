/**
 * profile(): heap (allocation sites of surviving memory) and CPU profiles of a program over a time window,
 * through its inspector; writes the .heapprofile / .cpuprofile files and returns their summaries. Never prints.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_OUT_DIR, NO_INLINING_FLAGS } from '../constants.js';
import { parseDuration } from '../core/units.js';
import { ConfigError } from '../errors.js';
import { startProfiling } from '../inspector/profiles.js';
import { observe, type ObservedProgram } from '../inspector/program.js';
import type { ProfileFiles } from '../runner/profiler.js';
import { readProfiles } from '../runner/read-profiles.js';
import { checkOutDir } from '../settings/out-dir.js';
import type { ProfileSummaries } from '../types.js';

export interface ProfileInput {
  /** The program to start (after `--`), or none with `pid`. */
  command: string[];
  duration: string;
  pid?: string;
  /** `heap`, `cpu` or `heap,cpu`. */
  profile: string;
  out?: string;
}

export interface ProfileReport {
  readonly schemaVersion: 1;
  readonly pid: number;
  readonly durationMs: number;
  readonly interrupted: boolean;
  readonly profiles: ProfileSummaries;
}

function parseInput(input: ProfileInput, cwd: string) {
  const { command } = input;
  const problems: string[] = [];
  const duration = parseDuration(input.duration);
  if (!duration.ok) problems.push(`--duration: ${duration.problem}`);
  const pid = input.pid === undefined ? undefined : Number(input.pid);
  if (pid !== undefined && (!Number.isInteger(pid) || pid <= 0))
    problems.push(`--pid: '${input.pid}' is not a process id`);
  if (pid !== undefined && command.length > 0) problems.push('give either --pid or a program after --, not both');
  if (pid === undefined && command.length === 0)
    problems.push('name a program after -- (memprobe profile -- node app.js) or give --pid');
  const kinds = new Set(input.profile.split(',').map((k) => k.trim()));
  for (const kind of kinds)
    if (kind !== 'heap' && kind !== 'cpu') problems.push(`--profile: '${kind}' is not heap or cpu`);
  const outDir = resolve(cwd, input.out ?? DEFAULT_OUT_DIR);
  checkOutDir(outDir, '--out', problems, true);
  if (problems.length > 0) throw new ConfigError(problems, 'invalid options');
  return { durationMs: duration.ok ? duration.value : 0, pid, kinds, outDir };
}

/** Resolves with how the window ended: its time ran out, the caller aborted, or the program exited. */
function windowEnd(
  program: ObservedProgram,
  durationMs: number,
  signal: AbortSignal,
): Promise<'time' | 'interrupted' | 'exited'> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort = (): void => undefined;
  return Promise.race([
    new Promise<'time'>((done) => (timer = setTimeout(() => done('time'), durationMs))),
    new Promise<'interrupted'>((done) =>
      signal.addEventListener('abort', (onAbort = () => done('interrupted')), { once: true }),
    ),
    program.exited.then(() => 'exited' as const),
  ]).finally(() => {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  });
}

export async function profile(
  input: ProfileInput,
  hooks: { signal?: AbortSignal; note?: (line: string) => void } = {},
  cwd = process.cwd(),
): Promise<ProfileReport> {
  const { durationMs, pid, kinds, outDir } = parseInput(input, cwd);
  const signal = hooks.signal ?? new AbortController().signal;
  mkdirSync(outDir, { recursive: true });
  // A heap profile charges allocations to physical frames: without inlining, each function keeps its own.
  const v8Flags = kinds.has('heap') ? NO_INLINING_FLAGS : [];
  const program = await observe(pid !== undefined ? { pid } : { command: input.command }, { signal }, { v8Flags });
  const files: ProfileFiles = {
    heap: kinds.has('heap') ? join(outDir, `profile-${program.pid}.heapprofile`) : null,
    cpu: kinds.has('cpu') ? join(outDir, `profile-${program.pid}.cpuprofile`) : null,
  };
  let ended: 'time' | 'interrupted' | 'exited' = 'time';
  try {
    const stop = await startProfiling((method, params) => program.client.send(method, params), files);
    hooks.note?.(`profiling process ${program.pid} for ${input.duration}...`);
    ended = await windowEnd(program, durationMs, signal);
    if (ended === 'exited') {
      const tail = program.stderrTail().trim().split('\n').at(-1) ?? '';
      throw new ConfigError(
        [`the program exited before the profile window ended${tail ? `: ${tail}` : ''}`],
        'profile',
      );
    }
    await stop();
  } finally {
    await program.release();
  }
  return {
    schemaVersion: 1,
    pid: program.pid,
    durationMs,
    interrupted: ended === 'interrupted',
    profiles: readProfiles(files),
  };
}
