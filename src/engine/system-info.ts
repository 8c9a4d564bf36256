/**
 * The machine a report was measured on: memory figures mean little without it.
 */
import { availableParallelism, cpus, release, totalmem, type } from 'node:os';
import { VERSION } from '../version.js';

export interface SystemInfo {
  readonly memprobe: string;
  readonly node: string;
  /** e.g. `Linux 6.1.0-18-amd64`. */
  readonly os: string;
  readonly platform: string;
  readonly arch: string;
  readonly cpu: { readonly model: string; readonly cores: number };
  /** Bytes of RAM. */
  readonly totalMemory: number;
}

export function collectSystemInfo(): SystemInfo {
  const list = cpus();
  return {
    memprobe: VERSION,
    node: process.version,
    os: `${type()} ${release()}`,
    platform: process.platform,
    arch: process.arch,
    cpu: { model: list[0]?.model.trim() ?? 'unknown', cores: availableParallelism() },
    totalMemory: totalmem(),
  };
}
