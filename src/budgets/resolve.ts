/**
 * Budgets as users write them (`growthRate=16KB/s`): layer the sources (defaults < probe file < config file <
 * command line) into numbers, and collect every problem before anything runs.
 */
import type { BudgetName, BudgetSpec, Budgets } from '../types.js';
import type { BudgetDefinition } from './budget.js';
import { BUDGETS } from './registry.js';

export const BUDGET_NAMES: readonly BudgetName[] = BUDGETS.map((b) => b.name);

const BY_NAME = new Map<string, BudgetDefinition<BudgetName>>(BUDGETS.map((b) => [b.name, b]));

function isBudgetName(name: string): name is BudgetName {
  return BY_NAME.has(name);
}

/** Turns repeated `--budget name=value` flags into a spec; problems name the flag. */
export function parseBudgetFlags(flags: readonly string[]): { spec: BudgetSpec; problems: string[] } {
  const spec: { [name in BudgetName]?: string } = {};
  const problems: string[] = [];
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    const name = eq > 0 ? flag.slice(0, eq).trim() : '';
    if (!isBudgetName(name)) {
      problems.push(`--budget '${flag}': expected name=value with name one of ${BUDGET_NAMES.join(', ')}`);
      continue;
    }
    spec[name] = flag.slice(eq + 1).trim();
  }
  return { spec, problems };
}

/** Checks that a value from a config file or probe is a budget spec; problems are prefixed with `where`. */
export function checkBudgetSpec(value: unknown, where: string): { spec: BudgetSpec; problems: string[] } {
  const problems: string[] = [];
  const spec: { [name in BudgetName]?: string } = {};
  if (value === undefined) return { spec, problems };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { spec, problems: [`${where}: must be an object like { growthRate: '16KB/s' }`] };
  }
  for (const [name, text] of Object.entries(value)) {
    if (!isBudgetName(name)) {
      problems.push(`${where}.${name}: unknown budget (known: ${BUDGET_NAMES.join(', ')})`);
    } else if (typeof text !== 'string') {
      problems.push(`${where}.${name}: must be a string such as '16KB/s', '2KB' or '20%'`);
    } else {
      spec[name] = text;
    }
  }
  return { spec, problems };
}

/**
 * Resolves layered specs (lowest precedence first) into numeric budgets, starting from each budget's default.
 * Every unparsable value is reported as `${source}${name}: problem`.
 */
export function resolveBudgets(layers: ReadonlyArray<{ source: string; spec: BudgetSpec }>): {
  budgets: Budgets;
  problems: string[];
} {
  const values = Object.fromEntries(BUDGETS.map((b) => [b.name, b.default])) as { [name in BudgetName]: number | null };
  const problems: string[] = [];
  for (const { source, spec } of layers) {
    for (const budget of BUDGETS) {
      const text = spec[budget.name];
      if (text === undefined) continue;
      const parsed = budget.parse(text);
      if (parsed.ok) values[budget.name] = parsed.value;
      else problems.push(`${source}${budget.name}: ${parsed.problem}`);
    }
  }
  return { budgets: values, problems };
}
