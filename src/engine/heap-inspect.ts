/**
 * `inspect()` on its own: `memprobe inspect` loads this file, not heap.ts, so its start skips the modules of
 * diff, the leak method and redact (~20 ms of module loading).
 */
import type { Phases } from '../core/phases.js';
import { UsageError } from '../errors.js';
import type { RetainerRules } from '../heap/analysis.js';
import { inspectHeap, type InspectReport } from '../heap/inspect.js';
import { checkMemoryFor } from '../heap/memory-needed.js';
import { readHeapSnapshot } from '../heap/reader.js';

export interface HeapOptions {
  /** Retained-size rules: Chrome DevTools' (default) or memlab 2.0.5's. */
  readonly rules?: RetainerRules;
  readonly phases?: Phases;
  /** Keys and string values in the report as their characters (`--show-values`); by default kind and length. */
  readonly showValues?: boolean;
}

/** `--rules`: devtools (the default) or memlab; anything else is a usage error. */
export function parseRules(text: string | undefined): RetainerRules {
  if (text === undefined || text === 'devtools') return 'devtools';
  if (text === 'memlab') return 'memlab';
  throw new UsageError(`--rules: '${text}' is not devtools or memlab`);
}

/** Totals, classes and the largest objects of one snapshot, with the path that keeps each alive. */
export function inspect(file: string, options: HeapOptions = {}): InspectReport {
  const { phases, showValues } = options;
  checkMemoryFor(file);
  return inspectHeap(readHeapSnapshot(file, { phases, forAnalysis: true }), {
    rules: options.rules ?? 'devtools',
    phases,
    showValues,
  });
}
