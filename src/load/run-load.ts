/**
 * One `memprobe load` run: start the embedded server when there is no --url/--ws, run the generator
 * process, stop the server, and turn what both measured into a LoadReport (the object --json writes and
 * the text renderer formats). Never throws for what happens under load: faults end up in the report.
 *
 * Called through the engine (engine/load.ts: `load(options, run)`), which supplies the embedded service's starter.
 */
import { randomBytes } from 'node:crypto';
import { MemprobeError } from '../errors.js';
import { errorShare, summarizeHttp, summarizeWs, wsErrorShare, wsErrors } from './aggregate.js';
import { checkStarvation, decideStatus, detectKnee, judgeGenerator } from './analysis.js';
import type { EmbeddedRun, EmbeddedServer, StartEmbeddedServer } from './embedded.js';
import { runGenerator, type GeneratorOutcome, type PhaseMessage } from './generator.js';
import { EMPTY_SUMMARY, LatencyHistogram } from './histogram.js';
import type { LoadOptions } from './options.js';
import { LOAD_SEED, QUEUE_FULL_ERROR } from './defaults.js';
import { analyzeServerMemory, type MemoryWindow } from './server-memory.js';
import { evaluateThresholds, type Figures } from './thresholds.js';
import type { GeneratorPlan, GeneratorStats, KneeResult, LatencyBucket, LoadReport, ServerMemory, StarvationResult, StepResult } from './types.js';

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
  const httpOrigin = options.url !== null ? new URL(options.url).origin : server !== null ? new URL(server.url).origin : null;
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

function describePhase(phase: PhaseMessage, plan: GeneratorPlan): { text: string; plannedMs: number | null } | null {
  const steps = plan.mode === 'closed' ? plan.users.length : 1;
  switch (phase.phase) {
    case 'setup':
      return { text: `scenario setup for ${plan.scenario.users} users`, plannedMs: null };
    case 'connect':
      return { text: `opening ${phase.label}`, plannedMs: null };
    case 'warmup':
      return { text: `warm-up ${(plan.warmupMs / 1000).toFixed(1)} s (${phase.label}, not recorded)`, plannedMs: plan.warmupMs };
    case 'step':
      return { text: `${steps > 1 ? `step ${phase.step + 1}/${steps}: ` : 'measuring: '}${phase.label} for ${(plan.stepMs / 1000).toFixed(1)} s`, plannedMs: plan.stepMs };
    case 'drain':
      return { text: 'waiting for the last responses', plannedMs: null };
  }
}

export async function runLoad(options: LoadOptions, io: LoadIo): Promise<LoadReport> {
  const startedAt = new Date().toISOString();
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
      return buildReport({ options, plan: planFor(options, null), outcome, phases: [], server: null, child: null, startedAt, version: io.version, interrupted: io.signal.aborted });
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
    return buildReport({ options, plan, outcome, phases, server, child, startedAt, version: io.version, interrupted: io.signal.aborted });
  } finally {
    if (server !== null && child === null) await server.stop();
  }
}

/** Step windows (epoch ms) from the generator's phase reports, for lining up the server's memory samples. */
function windows(phases: readonly PhaseMessage[], connections: (index: number) => number): { load: MemoryWindow; steps: MemoryWindow[] } | null {
  const steps = phases.filter((p) => p.phase === 'step');
  const end = phases.find((p) => p.phase === 'drain')?.at ?? Date.now();
  const from = phases.find((p) => p.phase === 'connect')?.at ?? steps[0]?.at;
  if (from === undefined || steps.length === 0) return null;
  const stepWindows = steps.map((p, i) => ({ from: p.at, to: steps[i + 1]?.at ?? end, connections: connections(i) }));
  return { load: { from: stepWindows[0]!.from, to: end, connections: connections(steps.length - 1) }, steps: stepWindows };
}

interface ReportInput {
  readonly options: LoadOptions;
  readonly plan: GeneratorPlan;
  readonly outcome: GeneratorOutcome;
  readonly phases: readonly PhaseMessage[];
  readonly server: EmbeddedServer | null;
  readonly child: EmbeddedRun | null;
  readonly startedAt: string;
  readonly version: string;
  readonly interrupted: boolean;
}

export function buildReport(input: ReportInput): LoadReport {
  const { options, plan, outcome, child, server } = input;
  const result = outcome.result;
  const notes: string[] = [...(result?.notes ?? [])];
  let steps: StepResult[] = [];
  let figures: Figures[] = [];
  let knee: KneeResult | null = null;
  let starvation: StarvationResult | null = null;
  let latency = EMPTY_SUMMARY;
  let histogram: LatencyBucket[] = [];
  let responseTime: LoadReport['responseTime'] = null;
  let throughput = 0;
  let errors: LoadReport['errors'] = { total: 0, byType: {} };
  let operations: LoadReport['operations'] = [];
  let hdr: LoadReport['hdr'] = null;
  const ws = result?.ws ? summarizeWs(result.ws) : null;

  if (result !== null && ws === null) {
    const http = summarizeHttp(result.steps);
    ({ steps, operations, latency, histogram, responseTime, throughput, errors, hdr } = http);
    figures = steps.map((s) => ({
      label: s.users !== null ? `step ${s.index + 1} (${s.users} user${s.users === 1 ? '' : 's'})` : `${s.rate}/s`,
      latency: s.latency,
      errorShare: errorShare(s.completed, s.errors.total),
      throughput: s.throughput,
    }));
    if (options.mode === 'closed' && steps.length > 0) knee = detectKnee(steps.map((s) => ({ users: s.users ?? 0, throughput: s.throughput, p95: s.latency.p95 })));
    const open = steps[0];
    if (options.mode === 'open' && open !== undefined && open.sent > 0 && open.waited / open.sent > 0.01) {
      notes.push(
        `${Math.round((open.waited / open.sent) * 1000) / 10}% of the requests waited for one of the ${options.connections} connections (up to ${open.maxWaiting} at once): ` +
          'the server was not answering fast enough; that wait counts in their latency (raise --connections if the server can take more in parallel)',
      );
    }
    if (options.scenario.operations.length > 1) starvation = checkStarvation(operations.map((op) => ({ name: op.name, weight: op.weight, completed: op.completed })));
  } else if (result?.ws && ws !== null) {
    latency = ws.messages.latency;
    histogram = LatencyHistogram.decode(result.ws.messageHistogram).buckets();
    throughput = ws.messages.perSecond;
    errors = wsErrors(result.ws);
    figures = [
      {
        label: 'fan-out',
        latency,
        errorShare: wsErrorShare(result.ws),
        throughput,
        connectAvg: ws.connections.connectMs.count > 0 ? ws.connections.connectMs.mean : null,
        connectP99: ws.connections.connectMs.count > 0 ? ws.connections.connectMs.p99 : null,
        connectSuccess: ws.connections.attempted > 0 ? ws.connections.successRate : null,
        lastClientP99: ws.messages.lastClient.count > 0 ? ws.messages.lastClient.p99 : null,
        lastClientMax: ws.messages.lastClient.count > 0 ? ws.messages.lastClient.max : null,
      },
    ];
  }

  let generator: GeneratorStats | null = null;
  if (result !== null) {
    const lag = LatencyHistogram.decode(result.generator.lagHistogram).summary();
    const health = { cpuPercent: result.generator.cpuPercent, eventLoopP99Ms: result.generator.eventLoopP99Ms, sendLagP99Ms: lag.count > 0 ? lag.p99 : null, unsent: errors.byType[QUEUE_FULL_ERROR] ?? 0 };
    generator = { pid: result.generator.pid, cpuPercent: health.cpuPercent, eventLoopP99Ms: health.eventLoopP99Ms, eventLoopMaxMs: result.generator.eventLoopMaxMs, sendLag: lag, ...judgeGenerator(health, options.maxLagMs, latency.count > 0 ? latency.p99 : null) };
  }

  let serverMemory: ServerMemory | null = null;
  if (child !== null && server !== null) {
    const connectionsAt = (i: number): number => (ws !== null ? ws.connections.ok : (steps[i]?.connections ?? 0));
    const w = windows(input.phases, connectionsAt);
    if (w !== null) {
      const memory = analyzeServerMemory({ samples: child.samples, baselineAt: server.baselineAt, load: w.load, steps: w.steps, pid: server.pid });
      serverMemory = memory.server;
      steps = steps.map((s, i) => ({ ...s, memory: memory.steps[i] ?? null }));
    }
    if (child.fault !== null && child.fault.kind !== 'interrupted') notes.push(`the embedded server ended early: ${child.fault.message}`);
    if (serverMemory !== null && serverMemory.gcPauseMs > 0) {
      notes.push(`the embedded server was paused ${serverMemory.gcPauseMs} ms in total by the forced GCs of its ${serverMemory.samples.length} memory samples; requests in flight then waited too`);
    }
  }

  const thresholds = result === null ? [] : evaluateThresholds(options.thresholds, figures, knee === null ? undefined : knee.status === 'knee' ? knee.users : knee.status === 'none' ? null : undefined);
  const fault = result === null ? (outcome.fault ?? 'the load generator returned nothing') : null;
  if (input.interrupted) notes.push('interrupted: the figures cover the part of the run before Ctrl-C');
  const measured = ws !== null ? ws.messages.received + ws.messages.lost : steps.reduce((n, s) => n + s.completed + s.errors.total, 0);
  const nothingMeasured = result !== null && !input.interrupted && measured === 0;
  if (nothingMeasured) notes.push(`nothing was measured: no ${ws !== null ? 'broadcast reached a client or was lost' : 'request was answered or failed'} in the measured window (is the server answering?)`);
  const status = decideStatus({ fault, interrupted: input.interrupted, saturated: generator?.saturated ?? false, nothingMeasured, thresholds, starvation });
  return {
    schemaVersion: 1,
    tool: { name: 'memprobe', version: input.version },
    startedAt: input.startedAt,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    mode: options.mode,
    target: { url: options.url ?? (server?.url ?? null), wsUrl: options.wsUrl ?? (options.mode === 'ws' ? plan.wsUrl : null), embedded: options.embedded },
    settings: {
      rate: options.mode === 'closed' ? null : options.rate,
      users: options.mode === 'closed' ? options.users : null,
      thinkMs: options.thinkMs,
      durationMs: options.durationMs,
      warmupMs: options.warmupMs,
      connections: options.connections,
      timeoutMs: options.timeoutMs,
      scenario: options.mode === 'ws' ? null : (options.scenarioFile ?? options.scenario.name),
    },
    status,
    interrupted: input.interrupted,
    latency,
    responseTime,
    histogram,
    throughput,
    errors,
    steps,
    knee,
    operations,
    starvation,
    ws,
    server: serverMemory,
    thresholds,
    generator,
    notes,
    fault,
    hdr,
  };
}

