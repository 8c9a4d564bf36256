#!/usr/bin/env node
/**
 * What `memprobe soak --pid` costs the process it soaks, forced-GC mode against --gentle, against no memprobe at all.
 *
 *   npx tsc -p tsconfig.json && node bench/attach-cost.mjs [--rate 100] [--seconds 20] [--rounds 2]
 *
 * For each mode and round: a fresh server (fixtures/real-programs/slow/session-login.mjs, its clean twin, on
 * 127.0.0.1), warmed by 5 s of load; then memprobe attaches (`soak --pid PID [--gentle] --duration 10m`, given 4 s to
 * install), and a fixed open-model load (`memprobe load --rate R`, its own process, latency from the intended send
 * time) runs for the measured seconds. The server's CPU is read from /proc/PID/stat over exactly that window. Then
 * memprobe is interrupted (Ctrl-C: it cleans the process up) and the server stopped. Prints one table (Markdown).
 * Needs fixtures/real-programs installed (npm ci --prefix fixtures/real-programs) and Linux (/proc).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'memprobe.js');
const SERVER = join(ROOT, 'fixtures', 'real-programs', 'slow', 'session-login.mjs');
const TICKS_PER_SECOND = 100; // Linux USER_HZ
const WARM_SECONDS = 5;
const ATTACH_MS = 4_000;

const arg = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const rate = arg('rate', 100);
const seconds = arg('seconds', 20);
const rounds = arg('rounds', 2);
const dir = mkdtempSync(join(tmpdir(), 'memprobe-attach-cost-'));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function cpuTicks(pid) {
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

function run(args, options = {}) {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const done = new Promise((resolve) => child.on('close', (code) => resolve({ code, out })));
  return { child, done, output: () => out };
}

async function load(port, duration, json) {
  const url = `http://127.0.0.1:${port}/items/1`;
  const args = [BIN, 'load', '--url', url, '--rate', String(rate), '--duration', `${duration}s`, '--warmup', '0'];
  const { done } = run([...args, '--connections', '20', '--json', json]);
  await done;
  return JSON.parse(readFileSync(json, 'utf8'));
}

async function measure(mode, round) {
  const port = await freePort();
  const server = run([SERVER], { env: { ...process.env, PORT: String(port), LEAK_BPS: '0' } });
  while (!/listening on/.test(server.output())) await sleep(50);
  await load(port, WARM_SECONDS, join(dir, `warm-${mode}-${round}.json`));
  const soak =
    mode === 'none'
      ? null
      : run(
          [BIN, 'soak', '--no-progress', '--pid', String(server.child.pid), '--duration', '10m', '--out', dir].concat(
            mode === 'gentle' ? ['--gentle'] : [],
          ),
        );
  if (soak) await sleep(ATTACH_MS);
  const before = cpuTicks(server.child.pid);
  const started = performance.now();
  const result = await load(port, seconds, join(dir, `load-${mode}-${round}.json`));
  const cpuSeconds = (cpuTicks(server.child.pid) - before) / TICKS_PER_SECOND;
  const wallSeconds = (performance.now() - started) / 1000;
  let note = '';
  if (soak) {
    soak.child.kill('SIGINT');
    const { out } = await soak.done;
    note = /note: (cost on the process[^\n]*)/.exec(out)?.[1] ?? '';
  }
  server.child.kill('SIGTERM');
  await server.done;
  return {
    cpu: cpuSeconds / wallSeconds,
    p99: result.latency.p99,
    p50: result.latency.p50,
    status: result.status,
    note,
  };
}

const MODES = ['none', 'forced-gc', 'gentle'];
const results = Object.fromEntries(MODES.map((m) => [m, []]));
for (let round = 0; round < rounds; round++) {
  for (const mode of MODES) {
    const r = await measure(mode, round);
    results[mode].push(r);
    process.stderr.write(
      `round ${round + 1} ${mode}: CPU ${(100 * r.cpu).toFixed(1)}% p99 ${r.p99.toFixed(2)} ms ${r.status}\n`,
    );
    if (r.note) process.stderr.write(`  ${r.note}\n`);
  }
}
rmSync(dir, { recursive: true, force: true });

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const base = { cpu: median(results.none.map((r) => r.cpu)), p99: median(results.none.map((r) => r.p99)) };
console.log(
  `Server: session-login (express + express-session), ${rate} req/s open model for ${seconds} s, ` +
    `median of ${rounds} round(s), node ${process.version}`,
);
console.log(
  `Machine: ${cpus().length} cores, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} at the end (other work shares them)`,
);
console.log('');
console.log('| memprobe | server CPU (% of a core) | CPU ratio | p50 latency | p99 latency | p99 ratio |');
console.log('|---|---|---|---|---|---|');
for (const mode of MODES) {
  const cpu = median(results[mode].map((r) => r.cpu));
  const p99 = median(results[mode].map((r) => r.p99));
  const p50 = median(results[mode].map((r) => r.p50));
  const label = { none: 'not attached', 'forced-gc': 'soak --pid (forced GC)', gentle: 'soak --pid --gentle' }[mode];
  console.log(
    `| ${label} | ${(100 * cpu).toFixed(1)}% | ${(cpu / base.cpu).toFixed(2)} | ${p50.toFixed(2)} ms | ` +
      `${p99.toFixed(2)} ms | ${(p99 / base.p99).toFixed(2)} |`,
  );
}
