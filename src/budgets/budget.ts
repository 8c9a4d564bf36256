/**
 * What a budget is: a named limit a user can set, how it is written and parsed, which way it points, its unit,
 * and how it is checked against what the analyzer measured. Each budget is one file of this folder and one line
 * of registry.ts; reports format a result from its numbers, direction and unit, never from its reason.
 */
import type { Parsed } from '../core/units.js';
import type { BudgetDirection, BudgetResult, BudgetUnit, GcRecovery, Growth, Resources } from '../types.js';

/** The figures of one probe's soak that budgets are checked against. */
export interface Measured {
  readonly growth: Growth | null;
  readonly externalGrowth: Growth | null;
  readonly perItemBytes: number | null;
  /** Null when there is no sample after teardown. */
  readonly gcRecovery: GcRecovery | null;
  readonly resources: Resources;
  readonly soakSamples: number;
  /** GC recovery is only judged for probes that release their work in a teardown. */
  readonly hasTeardown: boolean;
}

export interface BudgetDefinition<Name extends string = string> {
  readonly name: Name;
  /** The limit that applies when nobody sets one; null: not checked unless set. */
  readonly default: number | null;
  readonly direction: BudgetDirection;
  readonly unit: BudgetUnit;
  /** What a user writes (`'16KB/s'`) to the limit in the unit (bytes/s). */
  readonly parse: (text: string) => Parsed<number>;
  /** One result per checked figure (growthRate checks heap and external memory). */
  readonly check: (measured: Measured, limit: number) => readonly BudgetResult[];
  /** For --help and errors: an example of a value. */
  readonly example: string;
  /** When it fails, in one line: the generated reference (docs/reference/budgets.md) prints it. */
  readonly summary: string;
}

/** The fields every result of one budget shares. */
export function resultBase(
  definition: BudgetDefinition,
  limit: number,
): Pick<BudgetResult, 'name' | 'limit' | 'direction' | 'unit'> {
  return { name: definition.name, limit, direction: definition.direction, unit: definition.unit };
}
