#!/usr/bin/env node
/**
 * Benchmarks of `memprobe load` (not a test): prints a Markdown table.
 *
 *   npx tsc -p . && (cd bench/load && npm install) && node bench/load/run.mjs [--seconds 10] [--only abc]
 *
 * (a) honesty: a server blocking its event loop 100 ms once a second, loaded at 1000 req/s for 10 s.
 *     memprobe's p99 against the true p99 (computed from the server's own log of its blocks: a request
 *     arriving x ms into a block of d ms waits d - x) and against autocannon's, uncorrected (-C) and
 *     with its coordinated-omission correction (the default with a rate). Target: within 10% of true.
 * (b) throughput: 10 users back to back against a trivial node:http server, memprobe vs autocannon
 *     (-c 10), alternated, same server. Target: memprobe >= 80% of autocannon's req/s.
 * (c) fan-out: 1000 WebSocket clients of a `ws` server broadcasting as fast as they read; messages/s
 *     received by memprobe (--broadcast none) vs a minimal `ws` client script that only counts, 3
 *     alternated rounds, medians compared, plus each side's CPU per message. Target: memprobe >= 80%.
 * Runs are sequential (2 cores: server + generator); ratios come from one run of this script.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const BIN = join(ROOT, 'bin', 'memprobe.js');
const at = process.argv.indexOf('--seconds');
const SECONDS = at === -1 ? 10 : Number(process.argv[at + 1]);
const OUT = mkdtempSync(join(tmpdir(), 'memprobe-bench-load-'));
const children = new Set();
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));

function start(script, args) {
  const child = spawn(process.execPath, [script, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  children.add(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /"port":(\d+)/.exec(out);
      if (m) resolve({ port: Number(m[1]), stop: () => (child.kill('SIGTERM'), children.delete(child)) });
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

function run(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function memprobe(name, args) {
  const json = join(OUT, `${name}.json`);
  const result = await run([BIN, 'load', ...args, '--json', json, '--no-progress']);
  try {
    return JSON.parse(readFileSync(json, 'utf8'));
  } catch {
    throw new Error(`memprobe ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
  }
}

const get = async (port, path) => (await fetch(`http://127.0.0.1:${port}${path}`)).json();
const fmt = (x, digits = 1) => (x >= 1000 ? Math.round(x).toLocaleString('en-US') : x.toFixed(digits));
const pct = (x) => `${Math.round(x * 100)}%`;

/**
 * The true p99 from the server's own log, two ways. Ideal: arrivals every 1000/rate ms, each waiting out any
 * block it lands in (nothing else delays it). As served: the server logged when it answered each request;
 * the k-th measured answer (FIFO) belongs to the k-th measured arrival, so latency = answered - intended.
 * The second includes the backlog drain after each block and any CPU the server was denied on a busy
 * machine; both exclude the load generator entirely.
 */
function servedP99(answered, warmupCount, startedAt, rate, count) {
  const latencies = [];
  for (let k = 0; k < count && warmupCount + k < answered.length; k++) latencies.push(answered[warmupCount + k] - (startedAt + (k * 1000) / rate));
  latencies.sort((x, y) => x - y);
  return latencies[Math.ceil(0.99 * latencies.length) - 1];
}

function trueP99(blocks, fromMs, toMs, rate) {
  const latencies = [];
  let b = 0;
  for (let t = fromMs; t < toMs; t += 1000 / rate) {
    while (b < blocks.length && blocks[b][1] <= t) b++;
    const block = blocks[b];
    latencies.push(block !== undefined && block[0] <= t ? block[1] - t : 0);
  }
  latencies.sort((x, y) => x - y);
  return latencies[Math.ceil(0.99 * latencies.length) - 1];
}

async function honesty() {
  const server = await start(join(ROOT, 'fixtures', 'load', 'test-server.mjs'), ['stall', '--block-ms', '100', '--every-ms', '1000']);
  const url = `http://127.0.0.1:${server.port}/`;
  const ours = await memprobe('honesty', ['--url', url, '--rate', '1000/s', '--duration', `${SECONDS}s`, '--warmup', '1s', '--max-lag', '50ms']);
  const blocks = await get(server.port, '/__blocks');
  const answered = await get(server.port, '/__answered');
  const { startedAt, durationMs, sent } = ours.steps[0];
  const ideal = trueP99(blocks, startedAt, startedAt + durationMs, 1000);
  const truth = servedP99(answered, answered.length - sent, startedAt, 1000, sent);
  const options = { url, connections: 10, overallRate: 1000, duration: SECONDS };
  const corrected = await autocannon(options);
  const uncorrected = await autocannon({ ...options, ignoreCoordinatedOmission: true });
  server.stop();
  const blockMs = blocks.filter((b) => b[0] >= startedAt && b[0] < startedAt + durationMs).map((b) => b[1] - b[0]);
  return { ours: ours.latency.p99, truth, ideal, corrected: corrected.latency.p99, uncorrected: uncorrected.latency.p99, blockMean: blockMs.reduce((s, x) => s + x, 0) / blockMs.length, status: ours.status };
}

async function throughput() {
  const server = await start(join(ROOT, 'fixtures', 'load', 'test-server.mjs'), ['ok']);
  const url = `http://127.0.0.1:${server.port}/`;
  const oursRuns = [];
  const acRuns = [];
  for (let round = 0; round < 2; round++) {
    const ours = await memprobe(`throughput-${round}`, ['--url', url, '--users', '10', '--duration', `${SECONDS / 2}s`, '--warmup', '1s', '--max-lag', '50ms']);
    oursRuns.push({ rps: ours.throughput, cpu: ours.generator.cpuPercent });
    const ac = await autocannon({ url, connections: 10, duration: SECONDS / 2 });
    acRuns.push(ac.requests.total / (ac.duration || SECONDS / 2));
  }
  server.stop();
  const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;
  return { ours: mean(oursRuns.map((r) => r.rps)), autocannon: mean(acRuns), cpu: mean(oursRuns.map((r) => r.cpu)) };
}

async function fanout() {
  const server = await start(join(ROOT, 'fixtures', 'load', 'ws-broadcast-server.mjs'), ['--rate', '0']);
  const ws = `ws://127.0.0.1:${server.port}/`;
  const seconds = Math.max(3, Math.round(SECONDS / 2));
  const baseline = [];
  const ours = [];
  // Alternated rounds: the server and the machine drift; the median of each side is compared.
  for (let round = 0; round < 3; round++) {
    const minimal = JSON.parse((await run([join(HERE, 'ws-count-clients.mjs'), ws, '1000', String(seconds)])).stdout);
    baseline.push({ rate: minimal.perSecond, cpuMicros: (minimal.cpuPercent * 1e4) / minimal.perSecond });
    const report = await memprobe(`fanout-${round}`, ['--ws', ws, '--broadcast', 'none', '--connections', '1000', '--duration', `${seconds}s`, '--warmup', '1s', '--max-lag', '50ms']);
    ours.push({ rate: report.throughput, cpuMicros: (report.generator.cpuPercent * 1e4) / report.throughput, lastP99: report.ws.messages.lastClient.p99, status: report.status });
  }
  server.stop();
  const median = (xs) => [...xs].sort((x, y) => x - y)[xs.length >> 1];
  return {
    ours: median(ours.map((o) => o.rate)),
    baseline: median(baseline.map((b) => b.rate)),
    oursCpu: median(ours.map((o) => o.cpuMicros)),
    baselineCpu: median(baseline.map((b) => b.cpuMicros)),
    lastP99: median(ours.map((o) => o.lastP99)),
    rounds: ours.map((o, i) => `${fmt(o.rate)}/${fmt(baseline[i].rate)}`).join(', '),
    status: ours.map((o) => o.status).join(','),
  };
}

const onlyAt = process.argv.indexOf('--only');
const only = onlyAt === -1 ? 'abc' : process.argv[onlyAt + 1];
const a = only.includes('a') ? await honesty() : null;
const b = only.includes('b') ? await throughput() : null;
const c = only.includes('c') ? await fanout() : null;
const within = a === null ? 0 : Math.abs(a.ours - a.truth) / a.truth;
const rows = [
  ['check', 'memprobe', 'reference', 'target', 'result'],
  ['---', '---', '---', '---', '---'],
];
if (a !== null) rows.push(
  [
    `(a) p99, 1000 req/s, server blocked ${fmt(a.blockMean)} ms once a second, ${SECONDS} s`,
    `${fmt(a.ours)} ms`,
    `true ${fmt(a.truth)} ms as served (server's answer log), ${fmt(a.ideal)} ms ideal (blocks only); autocannon ${fmt(a.uncorrected)} ms uncorrected, ${fmt(a.corrected)} ms corrected`,
    'within 10% of true (as served)',
    `${within <= 0.1 ? 'PASS' : 'MISS'} (${pct(within)} off)`,
  ]);
if (b !== null) rows.push(['(b) req/s, 10 users, trivial node:http server', fmt(b.ours), `autocannon -c 10: ${fmt(b.autocannon)}`, '>= 80%', `${b.ours >= 0.8 * b.autocannon ? 'PASS' : 'MISS'} (${pct(b.ours / b.autocannon)}; generator CPU ${Math.round(b.cpu)}%)`]);
if (c !== null) rows.push(
  [
    '(c) messages/s, 1000 WebSocket clients, `ws` broadcast (median of 3 alternated rounds)',
    `${fmt(c.ours)} (${fmt(c.oursCpu)} µs CPU/msg)`,
    `minimal ws client script: ${fmt(c.baseline)} (${fmt(c.baselineCpu)} µs CPU/msg)`,
    '>= 80%',
    `${c.ours >= 0.8 * c.baseline ? 'PASS' : 'MISS'} (${pct(c.ours / c.baseline)}; rounds ours/minimal: ${c.rounds}; last-client p99 ${fmt(c.lastP99)} ms)`,
  ]);
console.log(rows.map((r) => `| ${r.join(' | ')} |`).join('\n'));
console.log(`\nmemprobe statuses: (a) ${a?.status ?? '-'}, (c) ${c?.status ?? '-'}. Node ${process.version}, ${(await import('node:os')).cpus().length} CPUs; JSON in ${OUT}`);
process.exit(0);
