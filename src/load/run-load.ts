/**
 * One `memprobe load` run: start the embedded server when there is no --url/--ws, run the generator
 * process, stop the server, and turn what both measured into a LoadReport (the object --json writes and
 * the text renderer formats). Never throws for what happens under load: faults end up in the report.
 *
 * Called through the engine (engine/load.ts: `load(options, run)`), which supplies the embedded service's starter.
 */
import { randomBytes } from 'node:crypto';
import { MemprobeError } from '../errors.js';
import type { EmbeddedRun, EmbeddedServer, StartEmbeddedServer } from './embedded.js';
import { runGenerator, type PhaseMessage } from './generator.js';
import { buildReport } from './load-report.js';
import type { LoadOptions } from './options.js';
import { LOAD_SEED } from './defaults.js';
import type { GeneratorPlan } from './plan-types.js';
import type { LoadReport } from './types.js';

/** What a load tells while it runs (the CLI shows it on stderr). */
export interface LoadProgressSink {
  /** A phase began; `plannedMs` is how long it should last (null: as long as it takes). */
  phase(text: string, plannedMs: number | null): void;
  /** About once a second: requests (ws: messages) answered and failed so far in the measured window. */
  tick(done: number, errors: number): void;
}

export interface LoadIo {
  readonly signal: AbortSignal;
  readonly verbose: boolean;
  readonly progress: LoadProgressSink;
  readonly version: string;
  /** Starts the embedded service (no --url/--ws): the engine's, in the soak runner's measured child. */
  readonly startEmbedded: StartEmbeddedServer;
}

export function planFor(options: LoadOptions, server: EmbeddedServer | null): GeneratorPlan {
  const httpUrl = options.url ?? server?.url ?? null;
  const httpOrigin = httpUrl !== null ? new URL(httpUrl).origin : null;
  const wsOrigin = options.wsUrl !== null ? new URL(options.wsUrl).origin.replace(/^ws:/, 'http:') : null;
  return {
    mode: options.mode,
    origin: httpOrigin ?? wsOrigin,
    scenario: options.scenario,
    rate: options.rate,
    users: options.users,
    thinkMs: options.thinkMs,
    warmupMs: options.warmupMs,
    stepMs: options.mode === 'closed' ? options.durationMs / options.users.length : options.durationMs,
    connections: options.connections,
    fixedConnections: false,
    timeoutMs: options.timeoutMs,
    wsUrl: options.wsUrl ?? (server !== null ? `${server.wsUrl}?userId={user}` : null),
    broadcastPath: options.broadcastPath,
    seed: LOAD_SEED,
    runId: `mp${randomBytes(3).toString('hex')}`,
  };
}

const seconds = (ms: number): string => (ms / 1000).toFixed(1);

function describePhase(phase: PhaseMessage, plan: GeneratorPlan): { text: string; plannedMs: number | null } | null {
  const steps = plan.mode === 'closed' ? plan.users.length : 1;
  switch (phase.phase) {
    case 'setup':
      return { text: `scenario setup for ${plan.scenario.users} users`, plannedMs: null };
    case 'connect':
      return { text: `opening ${phase.label}`, plannedMs: null };
    case 'warmup':
      return {
        text: `warm-up ${seconds(plan.warmupMs)} s (${phase.label}, not recorded)`,
        plannedMs: plan.warmupMs,
      };
    case 'step': {
      const which = steps > 1 ? `step ${phase.step + 1}/${steps}: ` : 'measuring: ';
      return {
        text: `${which}${phase.label} for ${seconds(plan.stepMs)} s`,
        plannedMs: plan.stepMs,
      };
    }
    case 'drain':
      return { text: 'waiting for the last responses', plannedMs: null };
  }
}

export async function runLoad(options: LoadOptions, io: LoadIo): Promise<LoadReport> {
  const common = { options, startedAt: new Date().toISOString(), version: io.version };
  let server: EmbeddedServer | null = null;
  if (options.embedded) {
    io.progress.phase('starting the embedded notification service in a controlled child', null);
    try {
      server = await io.startEmbedded({
        loadMs: options.warmupMs + options.durationMs + options.timeoutMs,
        durationMs: options.durationMs,
        steps: options.mode === 'closed' ? options.users.length : 1,
        target: options.target,
        verbose: io.verbose,
      });
    } catch (error) {
      // A report that says so (status `error`), so a check keeps the rest of its results.
      if (!(error instanceof MemprobeError)) throw error;
      const outcome = { result: null, pid: null, fault: error.message };
      const plan = planFor(options, null);
      const interrupted = io.signal.aborted;
      return buildReport({ ...common, plan, outcome, phases: [], server: null, child: null, interrupted });
    }
  }
  let child: EmbeddedRun | null = null;
  try {
    const plan = planFor(options, server);
    const phases: PhaseMessage[] = [];
    const outcome = await runGenerator(plan, {
      signal: io.signal,
      verbose: io.verbose,
      onPhase: (phase) => {
        phases.push(phase);
        const described = describePhase(phase, plan);
        if (described !== null) io.progress.phase(described.text, described.plannedMs);
      },
      onTick: (done, errors) => io.progress.tick(done, errors),
    });
    if (server !== null) child = await server.stop();
    return buildReport({ ...common, plan, outcome, phases, server, child, interrupted: io.signal.aborted });
  } finally {
    if (server !== null && child === null) await server.stop();
  }
}
