/**
 * Program mode of `memprobe soak` (`-- node server.js`): soak the program, then report it as one probe.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { GC_SHARE_TARGET } from '../constants.js';
import { UsageError } from '../errors.js';
import { soakProgram } from '../runner/program-soak.js';
import { assembleReport, reportProbe, splitTime } from '../runner/soak.js';
import { startDriverModule } from '../runner/traffic.js';
import type { ChildMessage } from '../runner/protocol.js';
import type { BudgetSpec, SoakReport } from '../types.js';
import { VERSION } from '../version.js';

export interface ProgramSoakRequest {
  readonly command: readonly string[];
  readonly durationMs: number;
  readonly warmupMs: number | undefined;
  readonly sampleIntervalMs: number;
  readonly listenTimeoutMs: number;
  readonly driver: string | undefined;
  readonly layers: (name: string) => ReadonlyArray<{ source: string; spec: BudgetSpec }>;
  readonly signal: AbortSignal;
  /** Phases and progress, in the same messages a probe's child sends. */
  readonly onMessage?: ((message: ChildMessage) => void) | undefined;
}

/** A `--drive` module path, checked before the program starts. */
export function resolveDriver(text: string, cwd: string): string {
  const file = resolve(cwd, text);
  if (!existsSync(file)) throw new UsageError(`--drive: no driver module at ${file}`);
  return file;
}

export async function soakProgramReport(request: ProgramSoakRequest): Promise<SoakReport> {
  const startedAt = new Date().toISOString();
  const { warmupMs, windowMs } = splitTime(request.durationMs, 1, request.warmupMs);
  const { driver } = request;
  const run = await soakProgram({
    command: request.command,
    warmupMs,
    durationMs: windowMs,
    sampleIntervalMs: request.sampleIntervalMs,
    gcShareTarget: GC_SHARE_TARGET,
    listenTimeoutMs: request.listenTimeoutMs,
    drive: driver === undefined ? undefined : (port) => startDriverModule(driver, port),
    signal: request.signal,
    onPhase: (phase) => request.onMessage?.({ type: 'phase', phase }),
    onProgress: (progress) => request.onMessage?.({ type: 'progress', progress }),
  });
  const name = request.command.join(' ');
  const probe = reportProbe(request.command.find((a) => /\.[cm]?[jt]s$/.test(a)) ?? name, run, request.layers(name));
  return assembleReport({ ...request, version: VERSION }, startedAt, warmupMs, [probe]);
}
