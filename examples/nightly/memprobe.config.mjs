// memprobe.config.mjs: the nightly leak check (`npx memprobe check`, see nightly.yml).
// Probe names are built-in probes; files are relative to this config file.
import { defineConfig } from 'memprobe';

export default defineConfig({
  // `memprobe check --suites websocket` runs one group; no --suites runs them all.
  suites: {
    notification: ['notification-create', 'offline-queue'],
    websocket: ['ws-fanout'],
    // cache: ['./probes/session-cache.ts'],
  },
  // Total time, shared equally between the probes (warm-up included): 1 min each here.
  duration: '3m',
  // Every probe: the post-GC heap and external memory may grow at most this fast.
  budgets: { growthRate: '64KB/s' },
  // One probe, by the name it gives itself; above `budgets`.
  probeBudgets: { 'ws-fanout': { perItem: '64KB' } },
  // Options for the probes (context.options).
  options: { connections: '200' },
  outDir: 'memprobe-out',
  // One JSON line per night; each metric is compared with the median of the last 10 nights.
  history: '.memprobe/history.jsonl',
  historyWindow: 10,
  // true: a regression against the history fails the job even when every budget passes.
  failOnRegression: false,
  // Baseline, mid-soak and final heap snapshots, kept only for probes that do not pass.
  snapshots: 'on-fail',
  // After the probes: 1 to 20 concurrent users against the embedded reference service (p95 < 500 ms, errors < 5%,
  // and where throughput stops growing); a broken threshold fails the job like a broken budget.
  load: [{ users: '1,5,10,20', duration: '40s' }],
});
