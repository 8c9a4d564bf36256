/**
 * The text report of `memprobe load`: the LoadReport in, a string out (pure). `--json` writes the same
 * object this formats.
 */
import { formatBytes, formatCount, formatMs } from '../core/format.js';
import { THRESHOLD_INFO } from '../core/metrics.js';
import type {
  ErrorCounts,
  LatencySummary,
  LoadReport,
  ServerMemory,
  StepResult,
  ThresholdResult,
  WsResult,
} from '../load/types.js';

const count = formatCount;
const pct = (share: number): string => `${(share * 100).toFixed(share > 0 && share < 0.1 ? 2 : 1)}%`;
const signed = (bytes: number): string => `${bytes >= 0 ? '+' : ''}${formatBytes(bytes)}`;

function table(rows: string[][], indent = '  '): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map(
    (r) =>
      indent +
      r
        .map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]! + 2)))
        .join('')
        .trimEnd(),
  );
}

function errorText(errors: ErrorCounts): string {
  if (errors.total === 0) return '0';
  const types = Object.entries(errors.byType).sort((a, b) => b[1] - a[1]);
  return `${count(errors.total)} (${types.map(([type, n]) => `${type} ${count(n)}`).join(', ')})`;
}

function latencyLine(label: string, l: LatencySummary): string {
  if (l.count === 0) return `${label}: no successful request`;
  return (
    `${label}: p50 ${formatMs(l.p50)} · p95 ${formatMs(l.p95)} · p99 ${formatMs(l.p99)} · max ${formatMs(l.max)} (` +
    `${count(l.count)} samples)`
  );
}

function header(r: LoadReport): string {
  const target = r.target.embedded
    ? `embedded notification service ${r.target.url ?? ''}`
    : ((r.mode === 'ws' ? r.target.wsUrl : r.target.url) ?? '');
  const s = r.settings;
  const time = `${formatMs(s.durationMs)}${s.warmupMs > 0 ? ` after ${formatMs(s.warmupMs)} warm-up` : ''}`;
  switch (r.mode) {
    case 'open':
      return (
        `memprobe load · open model · ${count(s.rate ?? 0)} req/s for ${time} · ${target} (${s.connections}` +
        ` connections, timeout ${formatMs(s.timeoutMs)})`
      );
    case 'closed': {
      const steps = s.users?.length ?? 1;
      const perStep = steps > 1 ? ` (${steps} steps of ${formatMs(s.durationMs / steps)})` : '';
      return (
        `memprobe load · closed model · users ${(s.users ?? []).join(', ')}` +
        `${s.thinkMs > 0 ? ` (think ${formatMs(s.thinkMs)})` : ''} · ${time}${perStep} · ${target}`
      );
    }
    case 'ws':
      return (
        `memprobe load · WebSocket fan-out · ${count(s.connections)} clients · ` +
        `${s.rate ? `${s.rate} broadcasts/s` : 'broadcasts sent by the server itself'} for ${time} · ${target}`
      );
  }
}

function stepTable(steps: readonly StepResult[]): string[] {
  const memory = steps.some((s) => s.memory !== null);
  const rows = [
    ['step', 'users', 'req/s', 'p50', 'p95', 'p99', 'max', 'errors', ...(memory ? ['server memory (per conn)'] : [])],
  ];
  for (const s of steps) {
    const l = s.latency;
    const m = s.memory;
    const memoryCell =
      m === null
        ? '-'
        : `${formatBytes(m.medianBytes)}${m.perConnectionBytes === null ? '' : ` (${signed(m.perConnectionBytes)})`}`;
    rows.push([
      String(s.index + 1),
      String(s.users ?? '-'),
      count(s.throughput),
      ...(l.count > 0 ? [formatMs(l.p50), formatMs(l.p95), formatMs(l.p99), formatMs(l.max)] : ['-', '-', '-', '-']),
      errorText(s.errors),
      ...(memory ? [memoryCell] : []),
    ]);
  }
  return table(rows);
}

function operationTable(r: LoadReport): string[] {
  const rows = [['operation', 'weight', 'done', 'share', 'p50', 'p95', 'p99', 'max', 'errors']];
  for (const op of r.operations) {
    const l = op.latency;
    rows.push([
      op.name,
      pct(op.weightShare),
      count(op.completed),
      pct(op.completedShare),
      ...(l.count > 0 ? [formatMs(l.p50), formatMs(l.p95), formatMs(l.p99), formatMs(l.max)] : ['-', '-', '-', '-']),
      errorText(op.errors),
    ]);
  }
  return table(rows);
}

function wsLines(ws: WsResult): string[] {
  const c = ws.connections;
  const m = ws.messages;
  const lines = [
    `connections: ${count(c.ok)} of ${count(c.attempted)} opened (${pct(c.successRate)}) in ${formatMs(c.wallMs)}` +
      `${c.errors.total > 0 ? `, failed: ${errorText(c.errors)}` : ''}`,
    c.connectMs.count > 0
      ? `  handshake: avg ${formatMs(c.connectMs.mean)} · p50 ${formatMs(c.connectMs.p50)} · p99 ` +
        `${formatMs(c.connectMs.p99)} · max ${formatMs(c.connectMs.max)}`
      : '  handshake: none completed',
    `messages: ${count(m.received)} received, ${count(m.perSecond)}/s · ${count(m.broadcasts)}` +
      ` broadcasts complete, ${count(m.incompleteBroadcasts)} incomplete, ${count(m.lost)} copies lost, ` +
      `${count(m.unexpectedCloses)} sockets closed by the server`,
    `  ${latencyLine('to each client', m.latency)}`,
    `  ${latencyLine('to the LAST client per broadcast', m.lastClient)}`,
  ];
  if (ws.trigger !== null)
    lines.push(
      `  triggers: ${count(ws.trigger.ok)} of ${count(ws.trigger.sent)} POSTs answered · ` +
        `${latencyLine('response', ws.trigger.latency)}`,
    );
  return lines;
}

function serverLines(s: ServerMemory): string[] {
  const lines = [`server (embedded, post-GC heap + external): idle ${formatBytes(s.baselineBytes)}`];
  if (s.underLoadBytes !== null) {
    lines[0] += ` · under load ${formatBytes(s.underLoadBytes)} (${signed(s.underLoadBytes - s.baselineBytes)})`;
    if (s.perConnectionBytes !== null)
      lines[0] += ` · ${formatBytes(s.perConnectionBytes)} per connection (${count(s.connections)})`;
  }
  if (s.growthBytesPerSecond !== null) {
    lines.push(
      `  growth over the run: ${signed(s.growthBytesPerSecond)}/s (95% CI ${signed(s.growthCiLow ?? 0)}/s to ` +
        `${signed(s.growthCiHigh ?? 0)}/s), net ${signed(s.netChangeBytes ?? 0)} first to last sample`,
    );
  } else lines.push(`  growth over the run: too few samples (${s.samples.length}) for a slope`);
  return lines;
}

export function thresholdValue(t: ThresholdResult, value: number): string {
  switch (THRESHOLD_INFO[t.metric].kind) {
    case 'ms':
      return formatMs(value);
    case 'share':
      return pct(value);
    case 'rate':
      return `${count(value)}/s`;
    case 'users':
      return `${value} users`;
  }
}

function thresholdLines(thresholds: readonly ThresholdResult[]): string[] {
  if (thresholds.length === 0) return [];
  const rows = thresholds.map((t) => [
    t.status,
    t.threshold,
    t.metric === 'knee'
      ? (t.where ?? '')
      : t.actual === null
        ? 'not measured'
        : `${t.status === 'pass' ? 'worst' : 'actual'} ${thresholdValue(t, t.actual)}` +
          `${t.where && t.actual !== 0 ? ` at ${t.where}` : ''}`,
  ]);
  return ['thresholds:', ...table(rows)];
}

function verdict(r: LoadReport): string {
  const broken = r.thresholds.filter((t) => t.status === 'fail').length;
  switch (r.status) {
    case 'pass': {
      const skipped = r.thresholds.filter((t) => t.status === 'skipped').length;
      return (
        `result: PASS (${r.thresholds.length - skipped} thresholds met` +
        `${skipped > 0 ? `, ${skipped} not measured` : ''})`
      );
    }
    case 'fail': {
      const why = [
        ...(broken > 0 ? [`${broken} of ${r.thresholds.length} thresholds broken`] : []),
        ...(r.starvation?.status === 'fail' ? ['an operation was starved'] : []),
      ];
      return `result: FAIL (${why.length > 0 ? why.join('; ') : 'nothing was measured'})`;
    }
    case 'generator-saturated':
      return (
        `result: GENERATOR SATURATED (no verdict on the server` +
        `${broken > 0 ? `; ${broken} thresholds broken as measured` : ''})`
      );
    case 'interrupted':
      return 'result: INTERRUPTED (partial figures)';
    case 'error':
      return `result: ERROR: ${r.fault ?? 'unknown'}`;
  }
}

export function renderLoadText(r: LoadReport): string {
  const out: string[] = [header(r)];
  if (r.settings.scenario !== null && r.operations.length > 1)
    out.push(`scenario: ${r.settings.scenario} (${r.operations.length} operations)`);
  out.push('');
  if (r.ws !== null) out.push(...wsLines(r.ws), '');
  else if (r.steps.length > 0) {
    if (r.mode === 'closed') out.push(...stepTable(r.steps), '');
    if (r.knee !== null)
      out.push(
        r.knee.status === 'knee'
          ? `knee at ${r.knee.users} users: ${r.knee.reason}`
          : `knee: ${r.knee.status === 'none' ? 'none, ' : ''}${r.knee.reason}`,
        '',
      );
    if (r.operations.length > 1)
      out.push(
        ...operationTable(r),
        ...(r.starvation !== null ? [`starvation: ${r.starvation.status}, ${r.starvation.reason}`] : []),
        '',
      );
    const completed = r.steps.reduce((sum, s) => sum + s.completed, 0);
    const sent = r.steps.reduce((sum, s) => sum + s.sent, 0);
    out.push(
      `requests: ${count(sent)} ${r.mode === 'open' ? 'scheduled' : 'sent'} · ${count(completed)} ok · errors ` +
        `${errorText(r.errors)}`,
    );
    out.push(`throughput: ${count(r.throughput)} req/s`);
    out.push(latencyLine(r.mode === 'open' ? 'latency from the intended send time' : 'latency', r.latency));
    if (r.responseTime !== null && r.mode === 'open')
      out.push(
        `  ${latencyLine('response time from the actual send (hides queueing, for comparison)', r.responseTime)}`,
      );
    out.push('');
  }
  if (r.server !== null) out.push(...serverLines(r.server), '');
  const g = r.generator;
  if (g !== null) {
    const lag = g.sendLag.count > 0 ? ` · send lag p99 ${formatMs(g.sendLag.p99)}` : '';
    out.push(
      `generator: pid ${g.pid} · CPU ${Math.round(g.cpuPercent)}% of a core · event-loop delay p99 ` +
        `${formatMs(g.eventLoopP99Ms)}${lag}`,
    );
    if (g.saturated)
      out.push(
        `GENERATOR SATURATED: ${g.reasons.join('; ')}. The figures describe the generator as much as the server.`,
      );
    out.push('');
  }
  for (const note of r.notes) out.push(`note: ${note}`);
  if (r.notes.length > 0) out.push('');
  out.push(...thresholdLines(r.thresholds), verdict(r));
  return out.join('\n');
}
