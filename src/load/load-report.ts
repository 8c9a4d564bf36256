/**
 * A LoadReport from what one load run measured, pure: the generator's result (HTTP steps or WebSocket fan-out),
 * the embedded server's memory samples, thresholds, the generator's health and the overall status. Each part
 * of the report comes from one small function; `buildReport` puts them together in the report's field order.
 */
import { errorShare, summarizeHttp, summarizeWs, wsErrorShare, wsErrors } from './aggregate.js';
import { checkStarvation, decideStatus, detectKnee, judgeGenerator } from './analysis.js';
import type { EmbeddedRun, EmbeddedServer } from './embedded.js';
import type { GeneratorOutcome, GeneratorResult, PhaseMessage } from './generator.js';
import { EMPTY_SUMMARY, LatencyHistogram } from './histogram.js';
import type { LoadOptions } from './options.js';
import { QUEUE_FULL_ERROR } from './defaults.js';
import { analyzeServerMemory, type MemoryWindow } from './server-memory.js';
import { evaluateThresholds, type Figures } from './thresholds.js';
import type { GeneratorPlan } from './plan-types.js';
import type { GeneratorStats, LoadReport, ServerMemory, StepResult, WsResult } from './types.js';

export interface ReportInput {
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

/** The traffic figures of the report, and what they add to the thresholds and notes. */
interface Traffic {
  readonly steps: StepResult[];
  readonly figures: Figures[];
  readonly knee: LoadReport['knee'];
  readonly starvation: LoadReport['starvation'];
  readonly latency: LoadReport['latency'];
  readonly histogram: LoadReport['histogram'];
  readonly responseTime: LoadReport['responseTime'];
  readonly throughput: number;
  readonly errors: LoadReport['errors'];
  readonly operations: LoadReport['operations'];
  readonly hdr: LoadReport['hdr'];
  readonly ws: WsResult | null;
  readonly notes: readonly string[];
}

/** No result: empty figures (a fresh object each time: reports are handed out and may be changed). */
const noTraffic = (): Traffic => ({
  steps: [],
  figures: [],
  knee: null,
  starvation: null,
  latency: EMPTY_SUMMARY,
  histogram: [],
  responseTime: null,
  throughput: 0,
  errors: { total: 0, byType: {} },
  operations: [],
  hdr: null,
  ws: null,
  notes: [],
});

function stepLabel(s: StepResult): string {
  return s.users !== null ? `step ${s.index + 1} (${s.users} user${s.users === 1 ? '' : 's'})` : `${s.rate}/s`;
}

/** Open model: requests that waited for a connection count that wait in their latency; say so when it matters. */
function waitedNote(options: LoadOptions, open: StepResult | undefined): string[] {
  if (options.mode !== 'open' || open === undefined || open.sent === 0 || open.waited / open.sent <= 0.01) return [];
  const share = Math.round((open.waited / open.sent) * 1000) / 10;
  return [
    `${share}% of the requests waited for one of the ${options.connections} connections (up to ${open.maxWaiting} ` +
      'at once): the server was not answering fast enough; that wait counts in their latency (raise --connections ' +
      'if the server can take more in parallel)',
  ];
}

function httpTraffic(options: LoadOptions, result: GeneratorResult): Traffic {
  const http = summarizeHttp(result.steps);
  const { steps, operations } = http;
  const figures = steps.map((s) => ({
    label: stepLabel(s),
    latency: s.latency,
    errorShare: errorShare(s.completed, s.errors.total),
    throughput: s.throughput,
  }));
  const ramp = steps.map((s) => ({ users: s.users ?? 0, throughput: s.throughput, p95: s.latency.p95 }));
  const knee = options.mode === 'closed' && steps.length > 0 ? detectKnee(ramp) : null;
  const mix = operations.map((op) => ({ name: op.name, weight: op.weight, completed: op.completed }));
  const starvation = options.scenario.operations.length > 1 ? checkStarvation(mix) : null;
  return { ...http, figures, knee, starvation, ws: null, notes: waitedNote(options, steps[0]) };
}

function wsTraffic(wire: NonNullable<GeneratorResult['ws']>): Traffic {
  const ws = summarizeWs(wire);
  const latency = ws.messages.latency;
  const throughput = ws.messages.perSecond;
  const connected = ws.connections.connectMs.count > 0;
  const lastClient = ws.messages.lastClient.count > 0;
  const figure: Figures = {
    label: 'fan-out',
    latency,
    errorShare: wsErrorShare(wire),
    throughput,
    connectAvg: connected ? ws.connections.connectMs.mean : null,
    connectP99: connected ? ws.connections.connectMs.p99 : null,
    connectSuccess: ws.connections.attempted > 0 ? ws.connections.successRate : null,
    lastClientP99: lastClient ? ws.messages.lastClient.p99 : null,
    lastClientMax: lastClient ? ws.messages.lastClient.max : null,
  };
  const histogram = LatencyHistogram.decode(wire.messageHistogram).buckets();
  return { ...noTraffic(), latency, histogram, throughput, errors: wsErrors(wire), figures: [figure], ws };
}

function trafficOf(options: LoadOptions, result: GeneratorResult | null): Traffic {
  if (result === null) return noTraffic();
  return result.ws ? wsTraffic(result.ws) : httpTraffic(options, result);
}

function generatorStats(result: GeneratorResult | null, traffic: Traffic, maxLagMs: number): GeneratorStats | null {
  if (result === null) return null;
  const { pid, cpuPercent, eventLoopP99Ms, eventLoopMaxMs } = result.generator;
  const lag = LatencyHistogram.decode(result.generator.lagHistogram).summary();
  const sendLagP99Ms = lag.count > 0 ? lag.p99 : null;
  const health = { cpuPercent, eventLoopP99Ms, sendLagP99Ms, unsent: traffic.errors.byType[QUEUE_FULL_ERROR] ?? 0 };
  const p99 = traffic.latency.count > 0 ? traffic.latency.p99 : null;
  return { pid, cpuPercent, eventLoopP99Ms, eventLoopMaxMs, sendLag: lag, ...judgeGenerator(health, maxLagMs, p99) };
}

/** Step windows (epoch ms) from the generator's phase reports, for lining up the server's memory samples. */
function windows(
  phases: readonly PhaseMessage[],
  connections: (index: number) => number,
): { load: MemoryWindow; steps: MemoryWindow[] } | null {
  const steps = phases.filter((p) => p.phase === 'step');
  const end = phases.find((p) => p.phase === 'drain')?.at ?? Date.now();
  const from = phases.find((p) => p.phase === 'connect')?.at ?? steps[0]?.at;
  if (from === undefined || steps.length === 0) return null;
  const stepWindows = steps.map((p, i) => ({ from: p.at, to: steps[i + 1]?.at ?? end, connections: connections(i) }));
  const last = connections(steps.length - 1);
  return { load: { from: stepWindows[0]!.from, to: end, connections: last }, steps: stepWindows };
}

/** The embedded server's memory, the steps with their memory, and what the server adds to the notes. */
interface ServerPart {
  readonly memory: ServerMemory | null;
  readonly steps: StepResult[];
  readonly notes: string[];
}

function serverPart(input: ReportInput, traffic: Traffic): ServerPart {
  const { child, server } = input;
  let steps = traffic.steps;
  if (child === null || server === null) return { memory: null, steps, notes: [] };
  const { ws } = traffic;
  const connectionsAt = (i: number): number => (ws !== null ? ws.connections.ok : (steps[i]?.connections ?? 0));
  const w = windows(input.phases, connectionsAt);
  let memory: ServerMemory | null = null;
  if (w !== null) {
    const pid = server.pid;
    const analyzed = analyzeServerMemory({ samples: child.samples, baselineAt: server.baselineAt, ...w, pid });
    memory = analyzed.server;
    steps = steps.map((s, i) => ({ ...s, memory: analyzed.steps[i] ?? null }));
  }
  const notes: string[] = [];
  if (child.fault !== null && child.fault.kind !== 'interrupted') {
    notes.push(`the embedded server ended early: ${child.fault.message}`);
  }
  if (memory !== null && memory.gcPauseMs > 0) {
    notes.push(
      `the embedded server was paused ${memory.gcPauseMs} ms in total by the forced GCs of its ` +
        `${memory.samples.length} memory samples; requests in flight then waited too`,
    );
  }
  return { memory, steps, notes };
}

/** The knee as the `knee>N` threshold reads it: its user count, null for none, undefined when not judged. */
function kneeUsers(knee: LoadReport['knee']): number | null | undefined {
  if (knee === null) return undefined;
  return knee.status === 'knee' ? knee.users : knee.status === 'none' ? null : undefined;
}

/** Nothing answered or failed in the measured window (not counted for an interrupted run). */
function nothingMeasuredNote(traffic: Traffic, steps: readonly StepResult[]): string | null {
  const { ws } = traffic;
  const answered = (): number => steps.reduce((n, s) => n + s.completed + s.errors.total, 0);
  const measured = ws !== null ? ws.messages.received + ws.messages.lost : answered();
  if (measured > 0) return null;
  const what = ws !== null ? 'broadcast reached a client or was lost' : 'request was answered or failed';
  return `nothing was measured: no ${what} in the measured window (is the server answering?)`;
}

function settingsOf(options: LoadOptions): LoadReport['settings'] {
  return {
    rate: options.mode === 'closed' ? null : options.rate,
    users: options.mode === 'closed' ? options.users : null,
    thinkMs: options.thinkMs,
    durationMs: options.durationMs,
    warmupMs: options.warmupMs,
    connections: options.connections,
    timeoutMs: options.timeoutMs,
    scenario: options.mode === 'ws' ? null : (options.scenarioFile ?? options.scenario.name),
  };
}

export function buildReport(input: ReportInput): LoadReport {
  const { options, plan, outcome, server } = input;
  const result = outcome.result;
  const traffic = trafficOf(options, result);
  const generator = generatorStats(result, traffic, options.maxLagMs);
  const memory = serverPart(input, traffic);
  const steps = memory.steps;
  const knee = kneeUsers(traffic.knee);
  const thresholds = result === null ? [] : evaluateThresholds(options.thresholds, traffic.figures, knee);
  const fault = result === null ? (outcome.fault ?? 'the load generator returned nothing') : null;
  const notes: string[] = [...(result?.notes ?? []), ...traffic.notes, ...memory.notes];
  if (input.interrupted) notes.push('interrupted: the figures cover the part of the run before Ctrl-C');
  const nothing = result !== null && !input.interrupted ? nothingMeasuredNote(traffic, steps) : null;
  if (nothing !== null) notes.push(nothing);
  const saturated = generator?.saturated ?? false;
  const starvation = traffic.starvation;
  const { interrupted } = input;
  const nothingMeasured = nothing !== null;
  const status = decideStatus({ fault, interrupted, saturated, nothingMeasured, thresholds, starvation });
  return {
    schemaVersion: 1,
    tool: { name: 'memprobe', version: input.version },
    startedAt: input.startedAt,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    mode: options.mode,
    target: {
      url: options.url ?? server?.url ?? null,
      wsUrl: options.wsUrl ?? (options.mode === 'ws' ? plan.wsUrl : null),
      embedded: options.embedded,
    },
    settings: settingsOf(options),
    status,
    interrupted: input.interrupted,
    latency: traffic.latency,
    responseTime: traffic.responseTime,
    histogram: traffic.histogram,
    throughput: traffic.throughput,
    errors: traffic.errors,
    steps,
    knee: traffic.knee,
    operations: traffic.operations,
    starvation,
    ws: traffic.ws,
    server: memory.memory,
    thresholds,
    generator,
    notes,
    fault,
    hdr: traffic.hdr,
  };
}
