/**
 * Budgets: parse what users write (`growthRate=16KB/s`), layer the sources
 * (defaults < probe file < config file < command line) and collect every problem.
 */
import {
  DEFAULT_FD_GROWTH_PER_MINUTE,
  DEFAULT_GC_RECOVERY_SHARE,
  DEFAULT_GROWTH_RATE_BYTES_PER_SECOND,
  DEFAULT_HANDLE_GROWTH_PER_MINUTE,
} from '../constants.js';
import type { BudgetName, BudgetSpec, Budgets } from '../types.js';
import { parseCountRate, parseDuration, parseRate, parseShare, parseSize, type Parsed } from '../core/units.js';

const PARSERS: Readonly<Record<BudgetName, (text: string) => Parsed<number>>> = {
  growthRate: parseRate,
  perItem: parseSize,
  gcRecovery: parseShare,
  handleGrowth: parseCountRate,
  fdGrowth: parseCountRate,
  eventLoopP99: parseDuration,
};

export const BUDGET_NAMES = Object.keys(PARSERS) as BudgetName[];

function isBudgetName(name: string): name is BudgetName {
  return Object.hasOwn(PARSERS, name);
}

/** Turns repeated `--budget name=value` flags into a spec; problems name the flag. */
export function parseBudgetFlags(flags: readonly string[]): { spec: BudgetSpec; problems: string[] } {
  const spec: BudgetSpec = {};
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
  const spec: BudgetSpec = {};
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
 * Resolves layered specs (lowest precedence first) into numeric budgets.
 * Every unparsable value is reported as `${source}${name}: problem`.
 */
export function resolveBudgets(
  layers: ReadonlyArray<{ source: string; spec: BudgetSpec }>,
): { budgets: Budgets; problems: string[] } {
  const values: { -readonly [name in keyof Budgets]: Budgets[name] } = {
    growthRate: DEFAULT_GROWTH_RATE_BYTES_PER_SECOND,
    perItem: null,
    gcRecovery: DEFAULT_GC_RECOVERY_SHARE,
    handleGrowth: DEFAULT_HANDLE_GROWTH_PER_MINUTE,
    fdGrowth: DEFAULT_FD_GROWTH_PER_MINUTE,
    eventLoopP99: null,
  };
  const problems: string[] = [];
  for (const { source, spec } of layers) {
    for (const name of BUDGET_NAMES) {
      const text = spec[name];
      if (text === undefined) continue;
      const parsed = PARSERS[name](text);
      if (parsed.ok) values[name] = parsed.value;
      else problems.push(`${source}${name}: ${parsed.problem}`);
    }
  }
  return { budgets: values, problems };
}
