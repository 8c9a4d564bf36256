/**
 * Program mode of `memprobe soak` (`-- node server.js`): soak the program, then report it as one probe.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { DEFAULT_DRIVE_RATE, DEFAULT_WARMUP_MS, GC_SHARE_TARGET, SCRIPT_EXTENSION } from '../constants.js';
import { leakQuestion, settleRun } from '../runner/leak-verdict.js';
import { UsageError } from '../errors.js';
import { soakProgram } from '../runner/program-soak.js';
import { withRedactedSnapshots } from '../heap/redacted-output.js';
import { withLeakClusters } from '../runner/leak-clusters.js';
import type { ProfileFiles } from '../runner/profiler.js';
import { readProfiles } from '../runner/read-profiles.js';
import { assembleReport, reportProbe, snapshotFiles } from '../runner/soak.js';
import { planTime } from '../core/time-plan.js';
import { driveUrl, startDriverModule, startRequestRate } from '../runner/traffic.js';
import { checkTargetUrl } from '../load/options.js';
import type { ChildMessage } from '../runner/protocol.js';
import type { RunningTarget } from '../inspector/running-process.js';
import type { BudgetSpec, SoakReport } from '../types.js';
import { VERSION } from '../version.js';

export interface ProgramSoakRequest {
  /** The command to start, or for a running process (`running`) the name it has in the report. */
  readonly command: readonly string[];
  /** `--pid`/`--attach`: a process memprobe did not start, soaked under its own traffic and left as found. */
  readonly running?: RunningTarget | undefined;
  /** `--gentle`: no forced GC (the process's own major GCs), and no snapshots unless asked. */
  readonly gentle?: boolean | undefined;
  readonly durationMs: number;
  /** Set: no fixed duration; the run stops when the evidence decides, or after this long. */
  readonly maxDurationMs?: number | undefined;
  readonly warmupMs: number | undefined;
  readonly sampleIntervalMs: number;
  readonly listenTimeoutMs: number;
  /** A driver module path, or a URL (with `{port}`) to send GET requests to at `rate` per second. */
  readonly driver: string | undefined;
  readonly rate: number | undefined;
  /** Where the three heap snapshots go, or undefined for none. */
  readonly snapshotDir: string | undefined;
  /** `--redact`: the snapshots are redacted as they are written. */
  readonly redactSnapshots?: boolean | undefined;
  /** `--show-values`: heap keys and string values in the leak samples. */
  readonly showValues?: boolean | undefined;
  /** Profiles over the soak window, and the folder they go into. */
  readonly profile: { readonly heap: boolean; readonly cpu: boolean };
  readonly outDir: string;
  readonly layers: (name: string) => ReadonlyArray<{ source: string; spec: BudgetSpec }>;
  readonly signal: AbortSignal;
  /** Phases and progress, in the same messages a probe's child sends. */
  readonly onMessage?: ((message: ChildMessage) => void) | undefined;
}

const isUrl = (text: string): boolean => /^https?:\/\//.test(text);

/** A `--drive` target checked before the program starts: a loopback URL (`{port}` allowed), or a module path. */
export function resolveDriver(text: string, cwd: string): string {
  if (isUrl(text)) {
    const checked = checkTargetUrl(text.replaceAll('{port}', '1'), '--drive', ['http:']);
    if (!checked.ok) throw new UsageError(checked.problem);
    return text;
  }
  const file = resolve(cwd, text);
  if (!existsSync(file)) throw new UsageError(`--drive: no driver module at ${file}`);
  return file;
}

/** The script a command runs (`server.mjs` of `node server.mjs`), else its first word. */
function scriptOf(command: readonly string[]): string {
  return command.find((a) => SCRIPT_EXTENSION.test(a)) ?? command[0] ?? 'program';
}

export async function soakProgramReport(request: ProgramSoakRequest): Promise<SoakReport> {
  const startedAt = new Date().toISOString();
  const { maxDurationMs } = request;
  const planned = planTime(request.durationMs, 1, request.warmupMs);
  const warmupMs = maxDurationMs === undefined ? planned.warmupMs : (request.warmupMs ?? DEFAULT_WARMUP_MS);
  const windowMs = maxDurationMs ?? planned.windowMs;
  const { driver } = request;
  if (request.snapshotDir !== undefined) mkdirSync(request.snapshotDir, { recursive: true });
  const snapshots = request.snapshotDir === undefined ? undefined : snapshotFiles(join(request.snapshotDir, 'program'));
  // Without --snapshots, the snapshots that name a leak go to the out folder, taken only when the samples prove one.
  // Gentle: a snapshot stops the process for as long as it takes (and runs a full GC): none unless asked.
  const confirmFiles =
    snapshots === undefined && request.gentle !== true
      ? snapshotFiles(join(request.outDir, 'program-leak'))
      : undefined;
  if (confirmFiles) mkdirSync(request.outDir, { recursive: true });
  const evidence = leakQuestion(maxDurationMs !== undefined, confirmFiles, 'program');
  const { heap, cpu } = request.profile;
  if (heap || cpu) mkdirSync(request.outDir, { recursive: true });
  const stem = join(request.outDir, `program-${basename(scriptOf(request.command)).replace(SCRIPT_EXTENSION, '')}`);
  const profiles: ProfileFiles = { heap: heap ? `${stem}.heapprofile` : null, cpu: cpu ? `${stem}.cpuprofile` : null };
  const run = await withRedactedSnapshots(snapshots, request.redactSnapshots ?? false, (written) =>
    soakProgram({
      command: request.command,
      running: request.running,
      gentle: request.gentle,
      warmupMs,
      durationMs: windowMs,
      sampleIntervalMs: request.sampleIntervalMs,
      gcShareTarget: GC_SHARE_TARGET,
      listenTimeoutMs: request.listenTimeoutMs,
      drive:
        driver === undefined
          ? undefined
          : isUrl(driver)
            ? (port) =>
                startRequestRate(
                  driveUrl(driver, port),
                  request.rate ?? DEFAULT_DRIVE_RATE,
                  request.durationMs * 2 + request.listenTimeoutMs,
                )
            : (port) => startDriverModule(driver, port),
      signal: request.signal,
      onPhase: (phase) => request.onMessage?.({ type: 'phase', phase }),
      onProgress: (progress) => request.onMessage?.({ type: 'progress', progress }),
      snapshots: written ?? undefined,
      profiles,
      evidence,
    }),
  );
  const name = request.command.join(' ');
  const file = request.command.find((a) => SCRIPT_EXTENSION.test(a)) ?? name;
  const named = run.windowEnd?.confirmed && confirmFiles ? confirmFiles : (snapshots ?? null);
  const probe = reportProbe(file, run, request.layers(name), readProfiles(profiles), named);
  const kept = settleRun(probe, run, { confirmFiles, snapshots: snapshots ?? null, showValues: request.showValues });
  return assembleReport(
    { ...request, version: VERSION, untilDecidedMaxMs: maxDurationMs },
    startedAt,
    warmupMs,
    [withLeakClusters(kept, request.showValues)],
    [],
  );
}
