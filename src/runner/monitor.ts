/**
 * Samples the child's CPU, RSS and thread count from the parent, so the measuring
 * never runs inside the measured heap.
 */
import { readFile } from 'node:fs/promises';
import pidusage from 'pidusage';
import { PROCESS_STATS_INTERVAL_MS } from '../constants.js';
import type { ProcessStats } from '../types.js';

async function threadCount(pid: number): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = /^Threads:\s+(\d+)/m.exec(status);
    return match ? Number(match[1]) : null;
  } catch {
    return null; // not Linux, or the process is gone
  }
}

export interface ProcessMonitor {
  /** Stops sampling and returns what was seen. */
  stop(): ProcessStats;
}

export function monitorProcess(pid: number, intervalMs = PROCESS_STATS_INTERVAL_MS): ProcessMonitor {
  let cpuSum = 0;
  let cpuCount = 0;
  let peakRss: number | null = null;
  let threads: number | null = null;
  let stopped = false;
  const tick = async (): Promise<void> => {
    try {
      const [usage, count] = await Promise.all([pidusage(pid), threadCount(pid)]);
      if (stopped) return;
      cpuSum += usage.cpu;
      cpuCount++;
      peakRss = Math.max(peakRss ?? 0, usage.memory);
      if (count !== null) threads = Math.max(threads ?? 0, count);
    } catch {
      // The child exited between two ticks.
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
      pidusage.clear();
      return { cpuPercentMean: cpuCount > 0 ? cpuSum / cpuCount : null, peakRss, threads };
    },
  };
}
