/**
 * Reads the profiles a child wrote and summarizes them for the report.
 */
import { existsSync, readFileSync } from 'node:fs';
import {
  allocationSites,
  topSelfTime,
  type CallFrame,
  type CpuProfile,
  type HeapProfileNode,
} from '../analyze/profiles.js';
import { TOP_PROFILE_ENTRIES } from '../constants.js';
import type { ProfileSummaries } from '../types.js';
import type { ProfileFiles } from './profiler.js';

/** Allocations of memprobe's own code (dist/src/...) and of its inspector session are not the probe's. */
const OWN_CODE = new URL('../', import.meta.url).href;
const isOwnFrame = (frame: CallFrame): boolean => frame.url === 'node:inspector' || frame.url.startsWith(OWN_CODE);

function readJson<T>(file: string | null): T | null {
  if (file === null || !existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return null; // a child killed while writing leaves a partial file: no summary
  }
}

export function readProfiles(files: ProfileFiles): ProfileSummaries {
  const heap = readJson<{ head: HeapProfileNode }>(files.heap);
  const cpu = readJson<CpuProfile>(files.cpu);
  return {
    heap:
      heap && files.heap ? { file: files.heap, ...allocationSites(heap.head, TOP_PROFILE_ENTRIES, isOwnFrame) } : null,
    cpu: cpu && files.cpu ? { file: files.cpu, topFunctions: topSelfTime(cpu, TOP_PROFILE_ENTRIES) } : null,
  };
}
