/**
 * `memprobe profile [--pid PID | -- node app.js]`: heap (allocation sites of surviving memory) and CPU
 * profiles of a program over a time window, through its inspector.
 */
import type { Command } from 'commander';
import { DEFAULT_OUT_DIR } from '../constants.js';
import { profile, type ProfileInput } from '../engine/profile.js';
import { EXIT } from '../errors.js';
import { renderJson } from '../report/json.js';
import { terminalSafe } from '../report/terminal-safe.js';
import { profileLines } from '../report/text.js';
import { withInterrupt } from './interrupt.js';
import { writeReportFile } from './write-file.js';

interface ProfileFlags extends Omit<ProfileInput, 'command'> {
  json?: string;
}

export async function runProfile(command: string[], flags: ProfileFlags): Promise<number> {
  const note = (line: string): void => void process.stderr.write(`${line}\n`);
  const report = await withInterrupt((signal) => profile({ ...flags, command }, { signal, note }));
  process.stdout.write(`${terminalSafe(profileLines(report.profiles).join('\n'))}\n`);
  if (flags.json !== undefined) writeReportFile(flags.json, renderJson(report));
  return report.interrupted ? EXIT.interrupted : EXIT.pass;
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
        'Exit codes: 0 profiles written; 2 bad usage, the program exited early or could not be attached; 130' +
          ' interrupted.',
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
