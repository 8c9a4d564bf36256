/**
 * What the config file's keys mean, for the keys the settings table (table.ts) does not describe: the keys of
 * `memprobe check` alone (suites, history, programs, load runs). A key of the table takes its flag and help from
 * its row. The generated reference (docs/reference/config.md) joins both, and fails when a key of CONFIG_KEYS is
 * described by neither or by both, so a new key cannot be left out of the reference.
 */
import type { CONFIG_KEYS } from './validate.js';

export type ConfigKey = (typeof CONFIG_KEYS)[number];

export interface ConfigKeyDoc {
  /** The command-line flag that sets it (or overrides it), or null. */
  readonly flag: string | null;
  readonly help: string;
  readonly default: string;
}

export const CHECK_CONFIG_KEYS: Partial<Record<ConfigKey, ConfigKeyDoc>> = {
  probes: {
    flag: null,
    help: 'built-in probe names or probe files (relative to the config file)',
    default: 'every built-in probe, when no suite, program or load run is configured either',
  },
  suites: {
    flag: '-s, --suites <names...>',
    help: "named groups of probes, `{ websocket: ['ws-fanout'] }`; --suites runs only the named ones, in order",
    default: 'none',
  },
  probeBudgets: {
    flag: null,
    help: "budgets for one probe, by the probe's name: `{ 'ws-fanout': { perItem: '64KB' } }`",
    default: 'none',
  },
  outDir: {
    flag: '--out <dir>',
    help: 'where the reports, profiles and snapshots go (relative to the config file)',
    default: '`memprobe-out`',
  },
  history: {
    flag: '--history <file>',
    help: 'JSON-lines history file to compare with and append to',
    default: 'none (no comparison)',
  },
  historyWindow: { flag: '--history-window <n>', help: 'earlier runs each metric is compared with', default: '`10`' },
  failOnRegression: {
    flag: '--fail-on-regression',
    help: 'a regression fails the check (exit 1) even when the budgets pass',
    default: '`false`',
  },
  programs: {
    flag: null,
    help:
      'programs soaked like `memprobe soak -- COMMAND`, after the probes (not with --suites), each for an equal ' +
      "share of `duration`: `[{ command: ['node', 'server.js'], drive: 'http://127.0.0.1:{port}/health', " +
      "rate: '200/s' }]` (`drive`: a URL or a driver module; commands run in the current folder)",
    default: 'none',
  },
  load: {
    flag: null,
    help:
      'load runs, as `memprobe load` with the same options as strings (`thresholds` a list), after the probes and ' +
      "programs (not with --suites), each for its own `duration`: `[{ users: '1,5,10,20', duration: '20s' }]`; " +
      'no `url`/`ws`: the embedded reference service. A broken threshold, a starved operation, a saturated ' +
      'generator or a run that measured nothing fails the check',
    default: 'none',
  },
};
