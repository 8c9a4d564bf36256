/** The probe API: what a probe file exports (ProbeDefinition) and what it is given (ProbeContext). */
import type { BudgetSpec } from './analysis-types.js';

/** The limit of a probe's own check: `below` (actual must be less) or `above` (actual must be more). */
export type CheckLimit =
  | { readonly below: number; readonly above?: undefined; readonly unit?: string }
  | { readonly above: number; readonly below?: undefined; readonly unit?: string };

/** A figure a probe checked itself (see ProbeContext.check). */
export interface ProbeCheck {
  readonly name: string;
  readonly actual: number;
  readonly limit: CheckLimit;
}

/** What a probe reports besides memory: its own figures and checks. */
export interface ProbeOutput {
  readonly metrics: Readonly<Record<string, number>>;
  readonly checks: readonly ProbeCheck[];
}

/** What a probe's hooks receive besides their state. */
export interface ProbeContext {
  /** `--target MODULE` resolved to a file URL, when one was given. */
  readonly target: string | undefined;
  /** Probe options from the command line (`--connections 1000` gives `{ connections: '1000' }`). */
  readonly options: Readonly<Record<string, string>>;
  /** Record a probe-specific figure for the report (last value wins). */
  metric(name: string, value: number): void;
  /**
   * Record a figure (as `metric` does) and check it against a limit: it becomes a budget in the report and
   * can fail the probe (last value wins). Example: `context.check('p95Ms', p95, { below: 500, unit: ' ms' })`;
   * a unit of `'B'` is shown as KB/MB, and `'%'` shows a 0..1 share as a percentage.
   */
  check(name: string, actual: number, limit: CheckLimit): void;
  /**
   * Tell memprobe something at once, while the probe runs (e.g. `publish('url', 'http://127.0.0.1:4100')`
   * so a load generator can find the server the probe started). Costs one IPC message: not per iteration.
   */
  publish(name: string, value: string): void;
}

/**
 * A probe: one workload soaked in a controlled child.
 * `setup` builds the system under test, `iteration` does one unit of work and is run back to back,
 * `teardown` releases the work (GC recovery is measured after it), `items` says how many items the
 * probe holds now (per-item memory).
 */
export interface ProbeDefinition<S = unknown> {
  name: string;
  setup?(context: ProbeContext): S | Promise<S>;
  iteration(state: S, context: ProbeContext): void | Promise<void>;
  teardown?(state: S, context: ProbeContext): void | Promise<void>;
  items?(state: S): number;
  budgets?: BudgetSpec;
}
