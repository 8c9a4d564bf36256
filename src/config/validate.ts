/**
 * Validates a config object (from memprobe.config.mjs/.js/.json) and reports every problem at once,
 * each naming its key. Pure: no file access.
 */
import type { BudgetSpec } from '../types.js';
import { checkBudgetSpec, resolveBudgets } from './budgets.js';
import { parseDuration } from './units.js';

/** A config file as users write it (see `defineConfig`). */
export interface MemprobeConfig {
  /** Probe names or files, relative to the config file. */
  probes?: string[];
  /** Total soak time, e.g. '60s'; shared between the probes. */
  duration?: string;
  /** Budgets for every probe. */
  budgets?: BudgetSpec;
  /** Budgets for one probe, by probe name; above `budgets`. */
  probeBudgets?: Record<string, BudgetSpec>;
}

export interface ValidConfig {
  readonly probes: readonly string[] | undefined;
  readonly durationMs: number | undefined;
  readonly budgets: BudgetSpec;
  readonly probeBudgets: Readonly<Record<string, BudgetSpec>>;
}

const KNOWN_KEYS = new Set(['probes', 'duration', 'budgets', 'probeBudgets']);

export function validateConfig(value: unknown): { config: ValidConfig; problems: string[] } {
  const problems: string[] = [];
  const config = { probes: undefined as string[] | undefined, durationMs: undefined as number | undefined, budgets: {} as BudgetSpec, probeBudgets: {} as Record<string, BudgetSpec> };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { config, problems: ['the config must be an object (export default defineConfig({ ... }))'] };
  }
  const raw = value as Record<string, unknown>;
  for (const key of Object.keys(raw)) {
    if (!KNOWN_KEYS.has(key)) problems.push(`${key}: unknown key (known: ${[...KNOWN_KEYS].join(', ')})`);
  }
  if (raw.probes !== undefined) {
    if (!Array.isArray(raw.probes) || raw.probes.some((p) => typeof p !== 'string' || p === '')) {
      problems.push('probes: must be an array of probe names or files');
    } else {
      config.probes = raw.probes as string[];
    }
  }
  if (raw.duration !== undefined) {
    const parsed = typeof raw.duration === 'string' ? parseDuration(raw.duration) : { ok: false as const, problem: 'must be a string such as "60s"' };
    if (parsed.ok) config.durationMs = parsed.value;
    else problems.push(`duration: ${parsed.problem}`);
  }
  const budgets = checkBudgetSpec(raw.budgets, 'budgets');
  problems.push(...budgets.problems, ...resolveBudgets([{ source: 'budgets.', spec: budgets.spec }]).problems);
  config.budgets = budgets.spec;
  if (raw.probeBudgets !== undefined) {
    if (typeof raw.probeBudgets !== 'object' || raw.probeBudgets === null || Array.isArray(raw.probeBudgets)) {
      problems.push('probeBudgets: must be an object keyed by probe name');
    } else {
      for (const [name, spec] of Object.entries(raw.probeBudgets)) {
        const where = `probeBudgets.${name}`;
        const checked = checkBudgetSpec(spec, where);
        problems.push(...checked.problems, ...resolveBudgets([{ source: `${where}.`, spec: checked.spec }]).problems);
        config.probeBudgets[name] = checked.spec;
      }
    }
  }
  return { config, problems };
}
