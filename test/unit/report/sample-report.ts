/**
 * Check reports built from seeded synthetic samples through the real analyzer (no child process):
 * a 64 KB/s leak that fails a 16 KB/s budget, a clean probe, and a hostile one whose strings try to
 * break out of every report format.
 */
import { analyze } from '../../../src/analyze/analyze.js';
import { overallVerdict } from '../../../src/core/verdict.js';
import { resolveBudgets } from '../../../src/budgets/resolve.js';
import type { CheckHistory, CheckReport } from '../../../src/engine/check-report.js';
import { buildCheckReport } from '../../../src/engine/check-report.js';
import type { LoadMode } from '../../../src/load/types.js';
import type { SystemInfo } from '../../../src/engine/system-info.js';
import type { BudgetSpec, ProbeFault, ProbeReport, SoakReport } from '../../../src/types.js';
import { sampleLoadReport } from '../../support/load-report.js';
import { series, type SeriesSpec } from '../../support/series.js';

export const SYSTEM: SystemInfo = {
  memprobe: '0.1.0',
  node: 'v20.20.2',
  os: 'Linux 6.1.0',
  platform: 'linux',
  arch: 'x64',
  cpu: { model: 'Test CPU @ 2.80GHz', cores: 2 },
  totalMemory: 8 * 1024 ** 3,
};

export const HOSTILE_NAME = '<img src=x onerror=alert(1)>';
export const HOSTILE_PATH_STEP = '</script><script>alert(1)</script>';

export function probeReport(name: string, spec: SeriesSpec, budgets: BudgetSpec, extra: Partial<ProbeReport> & Record<string, unknown> = {}): ProbeReport {
  const samples = series(spec);
  const resolved = resolveBudgets([{ source: '', spec: budgets }]);
  const analysis = analyze(samples, resolved.budgets, { hasTeardown: spec.finalHeap !== undefined });
  const last = samples.filter((s) => s.phase === 'soak').at(-1)!;
  const gcMs = samples.filter((s) => s.phase === 'soak').reduce((sum, s) => sum + s.gcMs, 0);
  const fault = (extra.fault ?? null) as ProbeFault | null;
  return {
    name,
    file: `/repo/probes/${name}.mjs`,
    verdict: fault ? 'error' : analysis.verdict,
    growth: analysis.growth,
    externalGrowth: analysis.externalGrowth,
    perItemBytes: analysis.perItemBytes,
    gcRecovery: analysis.gcRecovery,
    resources: analysis.resources,
    profiles: { heap: null, cpu: null },
    snapshots: null,
    iterations: last.iterations,
    iterationsPerSecond: (last.iterations * 1000) / last.timeMs,
    durationMs: last.timeMs,
    gcShare: gcMs / last.timeMs,
    gcPauseMsMax: 5,
    process: { cpuPercentMean: 97, peakRss: 60 * 1024 * 1024, threads: 11 },
    budgets: analysis.budgets,
    notes: analysis.notes,
    fault,
    metrics: {},
    samples,
    ...extra,
  } as ProbeReport;
}

export const leakyProbe = (): ProbeReport =>
  probeReport('leaky', { count: 32, heap: (t) => 4_000_000 + 64 * 1024 * t, noise: 2000, seed: 7, items: (t) => Math.round(t * 10) }, { growthRate: '16KB/s' });

export const cleanProbe = (): ProbeReport =>
  probeReport('clean', { count: 32, heap: () => 3_600_000, noise: 1500, seed: 3, finalHeap: 3_500_000 }, { growthRate: '16KB/s' });

export function soakReport(probes: readonly ProbeReport[], interrupted = false): SoakReport {
  return {
    schemaVersion: 1,
    tool: { name: 'memprobe', version: '0.1.0' },
    startedAt: '2026-11-21T12:00:00.000Z',
    node: 'v20.20.2',
    platform: 'linux-x64',
    interrupted,
    settings: { durationMs: 20_000, warmupMs: 2_000, sampleIntervalMs: 250 },
    verdict: overallVerdict(probes.map((p) => p.verdict)),
    probes,
    notRun: [],
  };
}

export function checkReport(probes: readonly ProbeReport[], options: { suites?: Record<string, string[]>; history?: CheckHistory; extra?: Record<string, unknown> } = {}): CheckReport {
  const report = buildCheckReport(soakReport(probes), {
    system: SYSTEM,
    commit: '0123456789abcdef0123456789abcdef01234567',
    configFile: '/repo/memprobe.config.mjs',
    suites: options.suites ?? {},
    history: options.history,
  });
  return { ...report, ...options.extra };
}

/** Every string a probe, config or heap snapshot controls is hostile here. */
export function hostileReport(): CheckReport {
  const hostile = probeReport(
    HOSTILE_NAME,
    { count: 32, heap: (t) => 4_000_000 + 64 * 1024 * t, noise: 2000, seed: 11 },
    { growthRate: '16KB/s' },
    {
      file: `/repo/"><script>alert(1)</script>.mjs`,
      notes: ['<b onmouseover=alert(1)>note</b>', `<img src=x onerror="document.body.setAttribute('data-pwned','1')">`],
      leakClusters: [
        { constructor: '<svg onload=alert(1)>', count: 1200, retainedSize: 4_800_000, path: ['global', '__cache (Map)', HOSTILE_PATH_STEP, "[] (Session'\")"], samples: ['"<script>alert(2)</script>": "{\\"token\\":…"'] },
        { constructor: 'Buffer', count: 30, retainedSize: 900_000, path: ['global', 'pool (Array)'] },
      ],
    },
  );
  const broken = probeReport(
    'setup & <teardown>',
    { count: 2, heap: () => 3_000_000, seed: 5 },
    {},
    { fault: { kind: 'setup', message: 'ECONNREFUSED <127.0.0.1> & "quotes" ]]> \u0001 control' } },
  );
  return checkReport([hostile, cleanProbe(), broken], {
    suites: { '<suite onclick=alert(1)>': [hostile.file], steady: ['/repo/probes/clean.mjs'] },
    extra: {
      load: [
        sampleLoadReport({
          mode: '<i>closed</i>' as LoadMode,
          status: 'fail',
          latency: { count: 1000, mean: 12, p50: 8, p90: 20, p95: 31, p99: 90, p999: 140, max: 180 },
          steps: [1, 5, 10, 20].map((users, i) => ({ ...sampleLoadReport().steps[0]!, index: i, users, latency: { count: 250, mean: 9, p50: 5 + i * 2, p90: 9 + i * 6, p95: 10 + i * 8, p99: 20 + i * 30, p999: 30 + i * 30, max: 40 + i * 40 } })),
          thresholds: [{ threshold: 'p95<20ms', metric: 'p95', op: '<', limit: 20, actual: 34, where: 'step 4 (20 users)', status: 'fail' }],
          notes: ['<b onmouseover=alert(1)>load note</b>'],
        }),
      ],
    },
  });
}
