/**
 * `memprobe load` end to end: the real CLI (bin/memprobe.js) against real servers on 127.0.0.1 started here.
 * Runs are a few seconds each. Tests that are not about generator saturation pass --max-lag 250ms: the
 * machine they run on is shared, and a busy neighbour delays our timers (that is what saturation flags).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { LoadReport } from '../../src/load/types.js';
import { ROOT, runCli, tempDir } from '../support/cli.js';

const LENIENT = ['--max-lag', '250ms', '--no-progress'];
const servers: ChildProcess[] = [];
after(() => servers.forEach((s) => s.kill('SIGKILL')));

/** Starts a fixture server (a script printing `{"port":N}` once listening); killed after the tests. */
function startServer(script: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<number> {
  const child = spawn(process.execPath, [script, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  servers.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const port = /"port":(\d+)/.exec(out) ?? /127\.0\.0\.1:(\d+)/.exec(out);
      if (port) resolve(Number(port[1]));
    });
    child.once('exit', () => reject(new Error(`${script} exited: ${out}`)));
  });
}

const testServer = (kind: string, ...args: string[]): Promise<number> => startServer(join(ROOT, 'fixtures', 'load', 'test-server.mjs'), [kind, ...args]);
const readReport = (file: string): LoadReport => JSON.parse(readFileSync(file, 'utf8')) as LoadReport;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test('open model: the schedule is kept and the JSON holds the contract', async () => {
  const port = await testServer('ok');
  const json = join(tempDir(), 'open.json');
  const result = await runCli(['load', '--url', `http://127.0.0.1:${port}/`, '--rate', '400/s', '--duration', '2s', '--warmup', '0.5s', '--json', json, ...LENIENT]);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.deepEqual(result.leftovers, []);
  const report = readReport(json);
  assert.equal(report.status, 'pass');
  assert.equal(report.mode, 'open');
  assert.equal(report.steps[0]?.sent, 800);
  assert.equal(report.steps[0]?.completed, 800);
  assert.ok(Math.abs(report.throughput - 400) <= 4, String(report.throughput));
  for (const key of ['p50', 'p95', 'p99', 'max'] as const) assert.ok(report.latency[key] > 0 && report.latency[key] < 500, `${key} ${report.latency[key]}`);
  assert.ok(report.latency.p50 <= report.latency.p99 && report.latency.p99 <= report.latency.max);
  assert.deepEqual(report.errors, { total: 0, byType: {} });
  assert.deepEqual(report.thresholds.map((t) => [t.threshold, t.status]), [['p95<500ms', 'pass'], ['errors<5%', 'pass']]);
  assert.ok(report.generator !== null && report.generator.pid > 0 && report.generator.sendLag.count === 800);
  assert.match(result.stdout, /latency from the intended send time: p50/);
});

/** p99 if each request waited out the block it arrived in and nothing else (arrivals every 1000/rate ms). */
function idealP99(blocks: Array<[number, number]>, from: number, to: number, rate: number): number {
  const latencies: number[] = [];
  for (let t = from; t < to; t += 1000 / rate) {
    const block = blocks.find(([start, end]) => start <= t && t < end);
    latencies.push(block === undefined ? 0 : block[1] - t);
  }
  latencies.sort((a, b) => a - b);
  return latencies[Math.ceil(0.99 * latencies.length) - 1]!;
}

test('a server stalling 100 ms once a second: the p99 shows the stall (~90 ms), it is not hidden', async () => {
  const port = await testServer('stall', '--block-ms', '100', '--every-ms', '1000');
  const json = join(tempDir(), 'stall.json');
  const result = await runCli(['load', '--url', `http://127.0.0.1:${port}/`, '--rate', '500/s', '--duration', '4s', '--warmup', '0.5s', '--json', json, ...LENIENT]);
  assert.deepEqual(result.leftovers, []);
  const report = readReport(json);
  assert.equal(report.errors.total, 0);
  // The server's own log of its blocks gives the true p99: 10% of the requests arrive during a block and
  // wait for its end, so the slowest 1% waited 90-100 ms (longer blocks on a busy machine, hence the log).
  const blocks = (await (await fetch(`http://127.0.0.1:${port}/__blocks`)).json()) as Array<[number, number]>;
  const { startedAt, durationMs } = report.steps[0]!;
  const truth = idealP99(blocks, startedAt, startedAt + durationMs, 500);
  const longest = Math.max(...blocks.filter(([start]) => start >= startedAt - 200 && start < startedAt + durationMs).map(([start, end]) => end - start));
  const figures = `p50 ${report.latency.p50}, p99 ${report.latency.p99}, max ${report.latency.max}; true p99 ${truth.toFixed(1)}, longest block ${longest.toFixed(1)}`;
  assert.ok(truth > 85, figures);
  // Not hidden: the p99 carries the stall. How close it comes to the truth is the benchmark's job
  // (bench/load/run.mjs): on a loaded CI machine a starved server adds its own delays on top of the blocks.
  assert.ok(report.latency.p99 >= 0.9 * truth, figures);
  assert.ok(report.latency.max >= 0.95 * longest, figures);
  assert.ok(report.latency.p50 < 20, figures);
});

test('refused connections: errors by type, exit 1, bounded time, nothing left running', async () => {
  const port = await freePort();
  const json = join(tempDir(), 'refused.json');
  const started = performance.now();
  const result = await runCli(['load', '--url', `http://127.0.0.1:${port}/`, '--rate', '200/s', '--duration', '1s', '--warmup', '0', '--json', json, ...LENIENT]);
  assert.equal(result.code, 1, result.stdout + result.stderr);
  assert.ok(performance.now() - started < 20_000);
  assert.deepEqual(result.leftovers, []);
  const report = readReport(json);
  assert.equal(report.status, 'fail');
  assert.equal(report.errors.byType.ECONNREFUSED, 200);
  assert.equal(report.thresholds.find((t) => t.metric === 'errors')?.status, 'fail');
  assert.match(result.stdout, /ECONNREFUSED 200/);
});

test('invalid or non-loopback URLs: exit 2 with one line saying why', async () => {
  const remote = await runCli(['load', '--url', 'http://example.com/', '--rate', '10/s']);
  assert.equal(remote.code, 2);
  assert.equal(remote.stdout, '');
  assert.equal(remote.stderr.trim().split('\n').length, 1, remote.stderr);
  assert.match(remote.stderr, /only targets this machine: the host must be in 127\.0\.0\.0\/8, ::1 or localhost \(got 'example\.com'\)/);
  const broken = await runCli(['load', '--url', 'not a url', '--ws', 'ws://10.1.2.3/ws']);
  assert.equal(broken.code, 2);
  assert.equal(broken.stderr.trim().split('\n').length, 1, broken.stderr);
  assert.match(broken.stderr, /'not a url' is not a valid URL.*'10\.1\.2\.3'/);
});

test('closed model ramp: one row per step, throughput and percentiles per step, the knee verdict', async () => {
  const port = await testServer('mixed', '--delay-ms', '20');
  const json = join(tempDir(), 'ramp.json');
  // /slow answers after 20 ms whatever the load: throughput grows with users and latency stays flat.
  const result = await runCli(['load', '--url', `http://127.0.0.1:${port}/slow`, '--users', '1,4,8', '--duration', '3s', '--warmup', '0.3s', '--json', json, ...LENIENT]);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const report = readReport(json);
  assert.deepEqual(report.steps.map((s) => s.users), [1, 4, 8]);
  const [one, four, eight] = report.steps;
  assert.ok(one!.throughput > 25 && one!.throughput < 55, String(one!.throughput));
  assert.ok(four!.throughput > 2.5 * one!.throughput && eight!.throughput > 1.5 * four!.throughput, report.steps.map((s) => s.throughput).join(' '));
  assert.ok(report.steps.every((s) => s.latency.p50 >= 20 && s.latency.p50 < 60));
  assert.equal(report.knee?.status, 'none');
  assert.match(result.stdout, /step\s+users\s+req\/s\s+p50\s+p95\s+p99\s+max\s+errors/);
  assert.match(result.stdout, /knee: none, no degradation from 1 to 8 users/);
});

test('scenario: per-operation latency and errors, and a starved operation fails the run', async () => {
  const port = await testServer('mixed', '--delay-ms', '40');
  const dir = tempDir();
  const scenario = join(dir, 'mix.json');
  writeFileSync(
    scenario,
    JSON.stringify({
      name: 'mix',
      operations: [
        { name: 'fast', path: '/fast', weight: 3 },
        { name: 'slow', path: '/slow', weight: 1 },
        { name: 'broken', path: '/fail', weight: 1 },
      ],
    }),
  );
  const json = join(dir, 'mix-report.json');
  const result = await runCli(['load', '--url', `http://127.0.0.1:${port}/`, '--scenario', scenario, '--rate', '200/s', '--duration', '2s', '--warmup', '0', '--json', json, ...LENIENT]);
  assert.equal(result.code, 1, result.stdout + result.stderr);
  const report = readReport(json);
  const byName = Object.fromEntries(report.operations.map((op) => [op.name, op]));
  assert.ok(byName.slow!.latency.p50 >= 40 && byName.slow!.latency.p50 < 100, String(byName.slow!.latency.p50));
  assert.ok(byName.fast!.latency.p50 < byName.slow!.latency.p50 / 2);
  assert.equal(byName.broken!.completed, 0);
  assert.ok(byName.broken!.errors.byType['http 500']! > 40);
  assert.equal(report.starvation?.status, 'fail');
  assert.deepEqual(report.starvation?.operations.filter((op) => op.starved).map((op) => op.name), ['broken']);
  assert.match(result.stdout, /starvation: fail, starved: broken/);
});

test('WebSocket fan-out against the reference service: connect times, messages, time to the last client', async () => {
  const port = await startServer(join(ROOT, 'dist', 'src', 'service', 'server.js'), [], { PORT: '0' });
  const json = join(tempDir(), 'ws.json');
  const result = await runCli(['load', '--ws', `ws://127.0.0.1:${port}/ws?userId={user}`, '--connections', '200', '--rate', '10/s', '--duration', '2s', '--warmup', '0.5s', '--json', json, ...LENIENT]);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.deepEqual(result.leftovers, []);
  const report = readReport(json);
  const ws = report.ws!;
  assert.equal(ws.connections.ok, 200);
  assert.equal(ws.connections.successRate, 1);
  assert.ok(ws.connections.connectMs.count === 200 && ws.connections.connectMs.mean > 0);
  assert.equal(ws.messages.broadcasts, 20);
  assert.equal(ws.messages.received, 20 * 200);
  assert.equal(ws.messages.lastClient.count, 20);
  assert.ok(ws.messages.lastClient.p50 >= ws.messages.latency.p50);
  assert.equal(report.throughput, 2000);
  assert.deepEqual(report.thresholds.map((t) => [t.metric, t.status]), [['connectAvg', 'pass'], ['lastClientP99', 'pass'], ['errors', 'pass']]);
  assert.match(result.stdout, /to the LAST client per broadcast: p50/);
});

test('embedded default: the reference service in a controlled child, its memory per connection and growth', async () => {
  const dir = tempDir();
  const json = join(dir, 'embedded.json');
  const result = await runCli(['load', '--duration', '2s', '--warmup', '0.3s', '--json', json, ...LENIENT]);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.deepEqual(result.leftovers, []);
  const report = readReport(json);
  assert.equal(report.target.embedded, true);
  assert.deepEqual(report.steps.map((s) => s.users), [1, 5, 10, 20]);
  assert.deepEqual(report.operations.map((op) => op.name), ['create', 'list', 'mark read', 'stats']);
  assert.equal(report.errors.total, 0);
  assert.ok(report.server !== null && report.server.samples.length >= 2, JSON.stringify(report.server));
  assert.ok(report.server.baselineBytes > 1e6);
  assert.ok(report.server.perConnectionBytes !== null);
  assert.match(result.stdout, /server \(embedded, post-GC heap \+ external\): idle .* per connection \(20\)/);

  const wsJson = join(dir, 'embedded-ws.json');
  const ws = await runCli(['load', '--ws', '--connections', '300', '--duration', '2s', '--warmup', '0.3s', '--json', wsJson, ...LENIENT]);
  assert.equal(ws.code, 0, ws.stdout + ws.stderr);
  assert.deepEqual(ws.leftovers, []);
  const server = readReport(wsJson).server!;
  assert.equal(server.connections, 300);
  // A WebSocket connection costs the service a few KB (socket, user, history); not bytes, not megabytes.
  assert.ok(server.perConnectionBytes! > 1024 && server.perConnectionBytes! < 1024 * 1024, String(server.perConnectionBytes));
  assert.match(ws.stdout, /per connection \(300\)/);
});

test('Ctrl-C: stops, prints and writes the partial result, exits 130, leaves nothing running', async () => {
  const json = join(tempDir(), 'interrupted.json');
  const result = await runCli(['load', '--duration', '30s', '--warmup', '0', '--json', json, '--max-lag', '250ms'], {
    onSpawn: (child, output) => {
      const timer = setInterval(() => {
        if (/step 1\/4/.test(output())) {
          clearInterval(timer);
          setTimeout(() => child.kill('SIGINT'), 1000);
        }
      }, 50);
    },
    timeoutMs: 60_000,
  });
  assert.equal(result.code, 130, result.stdout + result.stderr);
  assert.deepEqual(result.leftovers, []);
  const report = readReport(json);
  assert.equal(report.status, 'interrupted');
  assert.equal(report.interrupted, true);
  assert.ok(report.steps.length >= 1 && report.steps[0]!.completed > 0);
  assert.ok(report.steps[0]!.durationMs < 7500);
  assert.match(result.stdout, /result: INTERRUPTED/);
});

test('a generator that cannot keep up marks the result generator-saturated instead of blaming the server', async () => {
  const port = await testServer('ok');
  const json = join(tempDir(), 'saturated.json');
  const result = await runCli(['load', '--url', `http://127.0.0.1:${port}/`, '--rate', '1000000/s', '--duration', '1s', '--warmup', '0', '--timeout', '1s', '--json', json, '--no-progress']);
  assert.equal(result.code, 1, result.stdout + result.stderr);
  assert.deepEqual(result.leftovers, []);
  const report = readReport(json);
  assert.equal(report.status, 'generator-saturated');
  assert.ok(report.generator!.saturated && report.generator!.reasons.length > 0);
  assert.match(result.stdout, /GENERATOR SATURATED: /);
});

test('a server that never answers fails the run (nothing measured) instead of passing on skipped thresholds', async () => {
  const port = await testServer('hang');
  const result = await runCli(['load', '--url', `http://127.0.0.1:${port}/`, '--users', '1', '--duration', '1s', '--warmup', '0.5s', '--timeout', '3s', ...LENIENT]);
  assert.equal(result.code, 1, result.stdout + result.stderr);
  assert.match(result.stdout, /result: FAIL \(nothing was measured\)/);
  assert.deepEqual(result.leftovers, []);
});

test('throughput is what the server served: a server slower than the offered rate is not credited with it', async () => {
  // 4 connections to a server answering after 50 ms serve at most 80 requests/s; 200/s are offered.
  const port = await testServer('mixed', '--delay-ms', '50');
  const json = join(tempDir(), 'slow.json');
  const result = await runCli(['load', '--url', `http://127.0.0.1:${port}/slow`, '--rate', '200/s', '--connections', '4', '--duration', '2s', '--warmup', '0', '--json', json, ...LENIENT]);
  assert.deepEqual(result.leftovers, []);
  const report = readReport(json);
  assert.ok(report.throughput <= 85, `throughput ${report.throughput}/s`);
  assert.ok(report.steps[0]!.completed > 300, String(report.steps[0]!.completed));
});
