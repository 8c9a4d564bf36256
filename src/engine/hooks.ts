/** How an engine call reports while it runs, without printing: the caller decides where progress and notes go. */
import type { ChildMessage } from '../runner/protocol.js';

/** A progress display for the soak of several probes (the CLI's progress line). */
export interface SoakProgress {
  onMessage(probeFile: string, message: ChildMessage): void;
  done(): void;
}

export interface SoakHooks {
  /** Aborting stops the children and returns what was measured (a partial, `interrupted` report). */
  readonly signal?: AbortSignal;
  /** Called once the time split is known; the sink then gets every child message. */
  readonly progress?: (plan: { windowMs: number; warmupMs: number; probes: number }) => SoakProgress;
  /** A line worth telling the user (a shard's share, skipped history lines). */
  readonly note?: (line: string) => void;
  readonly verbose?: boolean;
}
