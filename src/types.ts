/**
 * Shared data shapes, one import for every layer: samples, analysis, the soak report and the probe API, each
 * defined in a file of its own beside this one. Only types: every layer can depend on it.
 */
export type { MemoryKind, Phase, Sample } from './sample-types.js';
export type {
  Analysis,
  BudgetDirection,
  BudgetName,
  BudgetResult,
  BudgetSpec,
  BudgetStatus,
  BudgetUnit,
  Budgets,
  CountGrowth,
  GcRecovery,
  Growth,
  LeakEvidence,
  RateMeaning,
  Resources,
  SlopeEstimate,
  Verdict,
} from './analysis-types.js';
export type {
  HeapProfileSummary,
  LeakClusterSummary,
  ProbeFault,
  ProbeReport,
  ProcessStats,
  ProfileSite,
  ProfileSummaries,
  SnapshotGrowth,
  SoakReport,
  SoakStop,
} from './report-types.js';
export type { CheckLimit, ProbeCheck, ProbeContext, ProbeDefinition, ProbeOutput } from './probe-types.js';
