/**
 * Program mode of `memprobe soak` (`-- node server.js`): soak the program, then report it as one probe.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_DRIVE_RATE, GC_SHARE_TARGET } from '../constants.js';
import { UsageError } from '../errors.js';
import { soakProgram } from '../runner/program-soak.js';
import { withLeakClusters } from '../runner/leak-clusters.js';
import { assembleReport, reportProbe, snapshotFiles, splitTime } from '../runner/soak.js';
import { driveUrl, startDriverModule, startRequestRate } from '../runner/traffic.js';
import { checkTargetUrl } from '../load/options.js';
import type { ChildMessage } from '../runner/protocol.js';
import type { BudgetSpec, SoakReport } from '../types.js';
import { VERSION } from '../version.js';

export interface ProgramSoakRequest {
  readonly command: readonly string[];
  readonly durationMs: number;
  readonly warmupMs: number | undefined;
  readonly sampleIntervalMs: number;
  readonly listenTimeoutMs: number;
  /** A driver module path, or a URL (with `{port}`) to send GET requests to at `rate` per second. */
  readonly driver: string | undefined;
  readonly rate: number | undefined;
  /** Where the three heap snapshots go, or undefined for none. */
  readonly snapshotDir: string | undefined;
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

export async function soakProgramReport(request: ProgramSoakRequest): Promise<SoakReport> {
  const startedAt = new Date().toISOString();
  const { warmupMs, windowMs } = splitTime(request.durationMs, 1, request.warmupMs);
  const { driver } = request;
  if (request.snapshotDir !== undefined) mkdirSync(request.snapshotDir, { recursive: true });
  const snapshots = request.snapshotDir === undefined ? undefined : snapshotFiles(join(request.snapshotDir, 'program'));
  const run = await soakProgram({
    command: request.command,
    warmupMs,
    durationMs: windowMs,
    sampleIntervalMs: request.sampleIntervalMs,
    gcShareTarget: GC_SHARE_TARGET,
    listenTimeoutMs: request.listenTimeoutMs,
    drive:
      driver === undefined
        ? undefined
        : isUrl(driver)
          ? (port) => startRequestRate(driveUrl(driver, port), request.rate ?? DEFAULT_DRIVE_RATE, request.durationMs * 2 + request.listenTimeoutMs)
          : (port) => startDriverModule(driver, port),
    signal: request.signal,
    onPhase: (phase) => request.onMessage?.({ type: 'phase', phase }),
    onProgress: (progress) => request.onMessage?.({ type: 'progress', progress }),
    snapshots,
  });
  const name = request.command.join(' ');
  const probe = withLeakClusters(reportProbe(request.command.find((a) => /\.[cm]?[jt]s$/.test(a)) ?? name, run, request.layers(name), undefined, snapshots ?? null));
  return assembleReport({ ...request, version: VERSION }, startedAt, warmupMs, [probe], []);
}
