/**
 * `memprobe load`: check every option, run the load, print the text report, write --json, end with the
 * exit code of the status (0 pass; 1 a threshold broken, an operation starved, nothing measured or the
 * generator saturated; 2 bad usage or a tool failure; 130 Ctrl-C, after printing and writing the partial result).
 */
import type { Command } from 'commander';
import { ConfigError, EXIT, UsageError } from '../errors.js';
import {
  DEFAULT_USERS,
  LOAD_DURATION_MS,
  LOAD_WARMUP_MS,
  OPEN_CONNECTIONS,
  REQUEST_TIMEOUT_MS,
  SATURATION_LAG_P99_MS,
  SATURATION_LOOP_P99_MS,
  WS_BROADCAST_RATE,
  WS_CONNECTIONS,
} from '../load/defaults.js';
import { resolveLoadOptions, type LoadFlags, type LoadOptions } from '../load/options.js';
import { loadShare, parseShard, type ShardSpec } from '../shard/split.js';
import { runLoad } from '../load/run-load.js';
import type { LoadStatus } from '../load/types.js';
import { renderLoadText } from '../report/load-text.js';
import { createLoadProgress, QUIET_LOAD } from './load-progress.js';
import { VERSION } from '../version.js';
import { writeReportFile } from './write-file.js';
import { terminalSafe } from '../report/terminal-safe.js';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function exitCodeForLoad(status: LoadStatus): number {
  switch (status) {
    case 'pass':
      return EXIT.pass;
    case 'fail':
    case 'generator-saturated':
      return EXIT.fail;
    case 'interrupted':
      return EXIT.interrupted;
    case 'error':
      return EXIT.error;
  }
}

type LoadCommandFlags = LoadFlags & { progress: boolean; shard?: string };

/** `--shard i/n`, or a one-line usage error (exit 2) before anything is read. */
function shardSpec(text: string | undefined): ShardSpec | undefined {
  if (text === undefined) return undefined;
  const parsed = parseShard(text);
  if (!parsed.ok) throw new UsageError(parsed.problem);
  return parsed.shard;
}

/** This generator's part of the rate or users. */
function shareOf(options: LoadOptions, shard: ShardSpec | undefined): LoadOptions {
  if (shard === undefined) return options;
  const share = loadShare(options, shard);
  if (!share.ok) throw new UsageError(share.problem);
  return { ...options, rate: share.rate, users: share.users };
}

export async function runLoadCommand(flags: LoadCommandFlags, verbose: boolean): Promise<number> {
  const shard = shardSpec(flags.shard);
  const resolved = await resolveLoadOptions(flags, process.cwd());
  if (resolved.options === null) throw new ConfigError(resolved.problems, 'invalid options');
  const options = shareOf(resolved.options, shard);
  const abort = new AbortController();
  const progress = flags.progress ? createLoadProgress() : QUIET_LOAD;
  const onSignal = (): void => {
    progress.done();
    if (!abort.signal.aborted) process.stderr.write('\nmemprobe load: stopping (partial result follows)\n');
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const measured = await runLoad(options, { signal: abort.signal, verbose, progress, version: VERSION });
    const report = shard ? { ...measured, shard } : measured;
    progress.done();
    process.stdout.write(`${terminalSafe(renderLoadText(report))}\n`);
    if (options.json !== undefined) {
      const path = writeReportFile(options.json, `${JSON.stringify(report, null, 2)}\n`);
      process.stderr.write(`report written to ${path}\n`);
    }
    return exitCodeForLoad(report.status);
  } finally {
    progress.done();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

export function registerLoad(program: Command): void {
  program
    .command('load')
    .summary('load a local service: open/closed model latency, ramps, mixes, WebSocket fan-out')
    .description(
      [
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
      ].join('\n'),
    )
    .option('--url <url>', 'HTTP target, e.g. http://127.0.0.1:8080/health (default: the embedded service)')
    .option(
      '--ws [url]',
      'WebSocket fan-out; {user} and {i} in the URL are filled per client (alone: the embedded service)',
    )
    .option(
      '--rate <n/s>',
      `open model: requests per second (with --ws: broadcasts per second, default ${WS_BROADCAST_RATE})`,
    )
    .option(
      '--users <list>',
      `closed model: concurrent users, one number or a ramp (default ${DEFAULT_USERS.join(',')})`,
    )
    .option('--think <time>', 'closed model: pause of each user between requests (default 0)')
    .option(
      '-d, --duration <time>',
      `measured time, shared by the steps of a ramp (default ${LOAD_DURATION_MS / 1000}s)`,
    )
    .option('--warmup <time>', `unrecorded load before measuring (default ${LOAD_WARMUP_MS / 1000}s; 0 for none)`)
    .option(
      '--connections <n>',
      `most sockets for --rate (default ${OPEN_CONNECTIONS}); WebSocket clients for --ws (default ${WS_CONNECTIONS})`,
    )
    .option(
      '--timeout <time>',
      `a request older than this (from its intended time) fails as timeout (default ${REQUEST_TIMEOUT_MS / 1000}s)`,
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
      'e.g. p95<500ms, errors<5%, throughput>1000/s, knee>20, connectAvg<2s, lastClientP99<1s; repeatable (defaults: p95<500ms errors<5%; --ws: connectAvg<2s lastClientP99<1s errors<5%)',
      collect,
      [],
    )
    .option(
      '--max-lag <time>',
      `generator lateness tolerated before the result is marked generator-saturated: p99 of sends after their intended time (default ${SATURATION_LAG_P99_MS}ms, at least 10% of the measured p99; event-loop delay: 3x, at least ${SATURATION_LOOP_P99_MS}ms)`,
    )
    .option('--json <file>', 'write the result as JSON to this file (with its HDR histograms, for memprobe merge)')
    .option(
      '--shard <i/n>',
      'run share i of n of the --rate or --users (with --url), e.g. from a CI matrix; add the shares up with memprobe merge',
    )
    .option('--no-progress', 'no progress lines on stderr')
    .action(async (flags: LoadCommandFlags, command: Command) => {
      const globals = command.optsWithGlobals<{ verbose?: boolean }>();
      process.exitCode = await runLoadCommand(flags, globals.verbose ?? false);
    });
}
