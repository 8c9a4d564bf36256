/**
 * `memprobe load`: parse the flags (the engine checks them all at once), call the load engine, print the text
 * report, write --json, and end with the exit code of the status (0 pass; 1 a threshold broken, an operation
 * starved, nothing measured or the generator saturated; 2 bad usage or a tool failure; 130 Ctrl-C, after
 * printing and writing the partial result).
 */
import type { Command } from 'commander';
import { loadDefaults as D, loadResolved, resolveLoad, type LoadFlags, type ResolvedLoad } from '../engine/load.js';
import type { LoadReport } from '../load/types.js';
import { renderLoadText } from '../report/load-text.js';
import { renderJson } from '../report/json.js';
import { terminalSafe } from '../report/terminal-safe.js';
import { VERSION } from '../version.js';
import { exitCodeForLoad } from './exit.js';
import { createLoadProgress, QUIET_LOAD, type LoadProgress } from './load-progress.js';
import { writeReportFile } from './write-file.js';
import { UsageError } from '../errors.js';
import { checkOutputFile } from '../settings/out-dir.js';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

type LoadCommandFlags = LoadFlags & { progress: boolean; shard?: string };

/** Call: the engine, with Ctrl-C and SIGTERM turned into an abort (the partial result is still rendered). */
async function callLoad(resolved: ResolvedLoad, progress: LoadProgress, verbose: boolean): Promise<LoadReport> {
  const abort = new AbortController();
  const onSignal = (): void => {
    progress.done();
    if (!abort.signal.aborted) process.stderr.write('\nmemprobe load: stopping (partial result follows)\n');
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await loadResolved(resolved, { signal: abort.signal, verbose, progress, version: VERSION });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** Render: the text report on stdout, the JSON (exactly the report object) to --json. */
function renderLoad(report: LoadReport, json: string | undefined): void {
  process.stdout.write(`${terminalSafe(renderLoadText(report))}\n`);
  if (json !== undefined) {
    const path = writeReportFile(json, renderJson(report));
    process.stderr.write(`report written to ${path}\n`);
  }
}

export async function runLoadCommand(flags: LoadCommandFlags, verbose: boolean): Promise<number> {
  const problems: string[] = [];
  checkOutputFile(flags.json, '--json', problems);
  if (problems.length > 0) throw new UsageError(problems.join('; '));
  const resolved = await resolveLoad(flags, process.cwd());
  const progress = flags.progress ? createLoadProgress() : QUIET_LOAD;
  try {
    const report = await callLoad(resolved, progress, verbose);
    progress.done();
    renderLoad(report, resolved.options.json);
    return exitCodeForLoad(report.status);
  } finally {
    progress.done();
  }
}

const DESCRIPTION = [
  'Loads a service on this machine from a separate generator process.',
  '',
  'Open model (--rate): request k is due at start + k/rate and its latency',
  'counts from that intended time, so a stalling server cannot hide behind',
  'a waiting generator (no coordinated omission).',
  'Closed model (--users 1,5,10,20): users send back to back (or after',
  '--think); one row per step, and the knee: the step where throughput',
  'stops growing while latency rises.',
  '--scenario FILE: weighted operations (JSON or an ES module), latency per',
  'operation and a starvation check.',
  '--ws URL: N WebSocket clients; broadcasts triggered by POST /broadcast',
  'at --rate; latency from the send time each message carries, to every',
  'client and to the last one of each broadcast.',
  '',
  'Without --url/--ws the reference notification service is started in a',
  'controlled child; its post-GC memory per connection and its growth are',
  'reported. Only 127.0.0.0/8, ::1 and localhost are ever loaded.',
  '',
  'Latency goes into HDR histograms (1 us, 3 digits). The generator watches',
  'itself: when it sends late, pegs its CPU or reads responses late, the',
  'result is marked generator-saturated instead of blaming the server.',
  '',
  'Exit codes: 0 thresholds met; 1 a threshold broken, an operation starved,',
  'nothing measured (no answer) or generator-saturated; 2 bad usage or a tool',
  'failure; 130 interrupted (the partial result is still printed and written).',
].join('\n');

/** The target and the model: what is loaded, and how the sends are scheduled. */
function addTargetOptions(command: Command): Command {
  return command
    .option('--url <url>', 'HTTP target, e.g. http://127.0.0.1:8080/health (default: the embedded service)')
    .option(
      '--ws [url]',
      'WebSocket fan-out; {user} and {i} in the URL are filled per client (alone: the embedded service)',
    )
    .option(
      '--rate <n/s>',
      `open model: requests per second (with --ws: broadcasts per second, default ${D.WS_BROADCAST_RATE})`,
    )
    .option(
      '--users <list>',
      `closed model: concurrent users, one number or a ramp (default ${D.DEFAULT_USERS.join(',')})`,
    )
    .option('--think <time>', 'closed model: pause of each user between requests (default 0)')
    .option(
      '-d, --duration <time>',
      `measured time, shared by the steps of a ramp (default ${D.LOAD_DURATION_MS / 1000}s)`,
    )
    .option('--warmup <time>', `unrecorded load before measuring (default ${D.LOAD_WARMUP_MS / 1000}s; 0 for none)`)
    .option(
      '--connections <n>',
      `most sockets for --rate (default ${D.OPEN_CONNECTIONS}); ` +
        `WebSocket clients for --ws (default ${D.WS_CONNECTIONS})`,
    );
}

/** Requests, scenario, thresholds and output. */
function addRunOptions(command: Command): Command {
  return command
    .option(
      '--timeout <time>',
      `a request older than this (from its intended time) fails as timeout (default ${D.REQUEST_TIMEOUT_MS / 1000}s)`,
    )
    .option(
      '--scenario <file>',
      'weighted operations (JSON or ES module), see fixtures/load/notification-scenario.json',
    )
    .option(
      '--broadcast <path|none>',
      'with --ws: path POSTed to trigger a broadcast (default /broadcast); none: the server broadcasts itself',
    )
    .option('--target <module>', 'embedded mode: start this service module instead of the reference one')
    .option(
      '-t, --threshold <spec>',
      'e.g. p95<500ms, errors<5%, throughput>1000/s, knee>20, connectAvg<2s, lastClientP99<1s; repeatable ' +
        '(defaults: p95<500ms errors<5%; --ws: connectAvg<2s lastClientP99<1s errors<5%)',
      collect,
      [],
    )
    .option(
      '--max-lag <time>',
      'generator lateness tolerated before the result is marked generator-saturated: p99 of sends after their ' +
        `intended time (default ${D.SATURATION_LAG_P99_MS}ms, at least 10% of the measured p99; event-loop delay: ` +
        `3x, at least ${D.SATURATION_LOOP_P99_MS}ms)`,
    )
    .option('--json <file>', 'write the result as JSON to this file (with its HDR histograms, for memprobe merge)')
    .option(
      '--shard <i/n>',
      'run share i of n of the --rate or --users (with --url), e.g. from a CI matrix; ' +
        'add the shares up with memprobe merge',
    )
    .option('--no-progress', 'no progress lines on stderr');
}

export function registerLoad(program: Command): void {
  const command = program
    .command('load')
    .summary('load a local service: open/closed model latency, ramps, mixes, WebSocket fan-out')
    .description(DESCRIPTION);
  addRunOptions(addTargetOptions(command)).action(async (flags: LoadCommandFlags, cmd: Command) => {
    const globals = cmd.optsWithGlobals<{ verbose?: boolean }>();
    process.exitCode = await runLoadCommand(flags, globals.verbose ?? false);
  });
}
