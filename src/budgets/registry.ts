/**
 * Every budget a user can set, in the order results are listed. Adding a budget: one file in this folder
 * (a BudgetDefinition) and one line here; flags, config keys, validation, reports and history follow.
 */
import { eventLoopP99 } from './event-loop-p99.js';
import { fdGrowth } from './fd-growth.js';
import { gcRecovery } from './gc-recovery.js';
import { growthRate } from './growth-rate.js';
import { handleGrowth } from './handle-growth.js';
import { perItem } from './per-item.js';

export const BUDGETS = [growthRate, perItem, gcRecovery, handleGrowth, fdGrowth, eventLoopP99] as const;
