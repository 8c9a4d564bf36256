/**
 * `memprobe profile [--pid PID | -- node app.js]`: heap (allocation sites of surviving memory) and CPU
 * profiles of a program over a time window, through its inspector.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { parseDuration } from '../core/units.js';
import { DEFAULT_OUT_DIR, NO_INLINING_FLAGS } from '../constants.js';
import { ConfigError, EXIT } from '../errors.js';
import { startProfiling } from '../inspector/profiles.js';
import { observe } from '../inspector/program.js';
import { profileLines } from '../report/text.js';
import type { ProfileFiles } from '../runner/profiler.js';
import { readProfiles } from '../runner/read-profiles.js';
import { writeReportFile } from './write-file.js';
import { terminalSafe } from '../report/terminal-safe.js';
import { withInterrupt } from './interrupt.js';
import { checkOutDir } from '../settings/out-dir.js';

interface ProfileFlags {
  duration: string;
  pid?: string;
  profile: string;
  out?: string;
  json?: string;
}

function parseFlags(command: string[], flags: ProfileFlags): { durationMs: number; pid: number | undefined; kinds: Set<string> } {
  const problems: string[] = [];
  const duration = parseDuration(flags.duration);
  if (!duration.ok) problems.push(`--duration: ${duration.problem}`);
  const pid = flags.pid === undefined ? undefined : Number(flags.pid);
  if (pid !== undefined && (!Number.isInteger(pid) || pid <= 0)) problems.push(`--pid: '${flags.pid}' is not a process id`);
  if (pid !== undefined && command.length > 0) problems.push('give either --pid or a program after --, not both');
  if (pid === undefined && command.length === 0) problems.push('name a program after -- (memprobe profile -- node app.js) or give --pid');
  const kinds = new Set(flags.profile.split(',').map((k) => k.trim()));
  for (const kind of kinds) if (kind !== 'heap' && kind !== 'cpu') problems.push(`--profile: '${kind}' is not heap or cpu`);
  if (problems.length > 0) throw new ConfigError(problems, 'invalid options');
  return { durationMs: duration.ok ? duration.value : 0, pid, kinds };
}

export async function runProfile(command: string[], flags: ProfileFlags): Promise<number> {
  const { durationMs, pid, kinds } = parseFlags(command, flags);
  const outDir = resolve(flags.out ?? DEFAULT_OUT_DIR);
  const problems: string[] = [];
  checkOutDir(outDir, '--out', problems);
  if (problems.length > 0) throw new ConfigError(problems, 'invalid options');
  mkdirSync(outDir, { recursive: true });
  // A heap profile charges allocations to physical frames: without inlining, each function keeps its own.
  const v8Flags = kinds.has('heap') ? NO_INLINING_FLAGS : [];
  const program = await withInterrupt((signal) => observe(pid !== undefined ? { pid } : { command }, { signal }, { v8Flags }));
  const files: ProfileFiles = {
    heap: kinds.has('heap') ? join(outDir, `profile-${program.pid}.heapprofile`) : null,
    cpu: kinds.has('cpu') ? join(outDir, `profile-${program.pid}.cpuprofile`) : null,
  };
  let ended: 'time' | 'interrupted' | 'exited' = 'time';
  try {
    const stop = await startProfiling((method, params) => program.client.send(method, params), files);
    process.stderr.write(`profiling process ${program.pid} for ${flags.duration}...\n`);
    let onSignal = (): void => undefined;
    let timer: NodeJS.Timeout | undefined;
    ended = await Promise.race([
      new Promise<'time'>((resolve) => (timer = setTimeout(() => resolve('time'), durationMs))),
      new Promise<'interrupted'>((resolve) => process.once('SIGINT', (onSignal = () => resolve('interrupted')))),
      program.exited.then(() => 'exited' as const),
    ]);
    clearTimeout(timer);
    process.off('SIGINT', onSignal);
    if (ended === 'exited') {
      const tail = program.stderrTail().trim().split('\n').at(-1) ?? '';
      throw new ConfigError([`the program exited before the profile window ended${tail ? `: ${tail}` : ''}`], 'profile');
    }
    await stop();
  } finally {
    await program.release();
  }
  const summaries = readProfiles(files);
  process.stdout.write(`${terminalSafe(profileLines(summaries).join('\n'))}\n`);
  const interrupted = ended === 'interrupted';
  if (flags.json !== undefined) writeReportFile(flags.json, `${JSON.stringify({ schemaVersion: 1, pid: program.pid, durationMs, interrupted, profiles: summaries }, null, 2)}\n`);
  return interrupted ? EXIT.interrupted : EXIT.pass;
}

export function registerProfile(program: Command): void {
  program
    .command('profile')
    .summary('heap and CPU profiles of a Node program or running process')
    .description(
      [
        'Records, over --duration, a sampling heap profile of the memory that survives (a GC runs before it is',
        'read: the top allocation sites are where retained memory was created) and a CPU profile, through the',
        "program's inspector on 127.0.0.1. Files open in Chrome DevTools (.heapprofile, .cpuprofile).",
        '',
        '  memprobe profile --duration 30s -- node server.js   start the program, profile it, stop it',
        '  memprobe profile --pid 4242                         attach to a running process (SIGUSR1 opens its',
        '                                                      inspector on 127.0.0.1:9229); it keeps running',
        '',
        'Exit codes: 0 profiles written; 2 bad usage, the program exited early or could not be attached; 130 interrupted.',
      ].join('\n'),
    )
    .argument('[command...]', 'the program to start, after --')
    .option('-d, --duration <time>', 'how long to profile', '30s')
    .option('--pid <pid>', 'profile a running Node process instead')
    .option('--profile <kinds>', 'heap, cpu, or both', 'heap,cpu')
    .option('--out <dir>', `folder for the profiles (default ${DEFAULT_OUT_DIR})`)
    .option('--json <file>', 'write the summaries as JSON')
    .action(async (command: string[], flags: ProfileFlags) => {
      process.exitCode = await runProfile(command, flags);
    });
}
