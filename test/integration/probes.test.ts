/**
 * The built-in probes (probes/), run the way users run them: `memprobe soak ... --json FILE` as a real child
 * process, against the reference notification service (every budget met) and its leaky twin (growth caught).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ProbeReport, SoakReport } from '../../src/types.js';
import { ROOT, runCli, tempDir } from '../support/cli.js';

const LEAKY = join(ROOT, 'dist', 'fixtures', 'leaky-notification-service');
const CLIENT_SCRIPT = 'fanout-client-process.js';

const readReport = (file: string): SoakReport => JSON.parse(readFileSync(file, 'utf8')) as SoakReport;

function probe(report: SoakReport, name: string): ProbeReport {
  const found = report.probes.find((p) => p.name === name);
  assert.ok(found, `no ${name} in the report`);
  return found;
}

function metric(p: ProbeReport, name: string): number {
  const value = p.metrics[name];
  assert.equal(typeof value, 'number', `${p.name}: metric ${name} missing (${JSON.stringify(p.metrics)})`);
  return value!;
}

/** Checks a figure against a threshold and says which one broke. */
function within(p: ProbeReport, name: string, check: (v: number) => boolean, rule: string): void {
  const value = metric(p, name);
  assert.ok(check(value), `${p.name}: ${name} = ${value}, expected ${rule}`);
}

/** State letter and parent pid of a process from /proc, or null when it is gone. */
function procStat(pid: number): { state: string; ppid: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: state ?? '', ppid: Number(ppid) };
  } catch {
    return null;
  }
}

/** Running (a zombie waiting for a reaper that is not ours has already exited). */
const alive = (pid: number): boolean => {
  const stat = procStat(pid);
  return stat !== null && stat.state !== 'Z';
};

/** Live (non-zombie) processes running the ws-fanout client script, as [pid, ppid]. */
function clientProcesses(): Array<[number, number]> {
  const found: Array<[number, number]> = [];
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      if (!readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(CLIENT_SCRIPT)) continue;
    } catch {
      continue; // gone meanwhile
    }
    const stat = procStat(Number(entry));
    if (stat !== null && stat.state !== 'Z') found.push([Number(entry), stat.ppid]);
  }
  return found;
}

test('all three probes meet their budgets against the reference service, with their metrics in the JSON', async () => {
  const json = join(tempDir(), 'report.json');
  const result = await runCli(['soak', 'notification-create', 'offline-queue', 'ws-fanout', '--duration', '21s', '--json', json]);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.deepEqual(result.leftovers, []);
  const report = readReport(json);
  assert.deepEqual(report.probes.map((p) => [p.name, p.verdict]), [
    ['notification-create', 'pass'],
    ['offline-queue', 'pass'],
    ['ws-fanout', 'pass'],
  ]);
  for (const p of report.probes) {
    assert.equal(p.budgets.find((b) => b.name === 'growthRate' && b.memory === 'heap')?.status, 'pass', p.name);
    assert.equal(p.budgets.find((b) => b.name === 'perItem')?.status, 'pass', `${p.name}: ${JSON.stringify(p.budgets)}`);
    assert.ok(p.perItemBytes !== null, `${p.name}: items() must change during the soak`);
  }

  const create = probe(report, 'notification-create');
  assert.ok(create.perItemBytes! > 100 && create.perItemBytes! < 10 * 1024, String(create.perItemBytes));
  within(create, 'throughputPerSecond', (v) => v > 100, '> 100/s');
  within(create, 'avgOpMs', (v) => v > 0 && v < 100, '< 100 ms');
  within(create, 'successRate', (v) => v > 0.95, '> 95%');
  within(create, 'burstSuccessRate', (v) => v > 0.7, '> 70%');
  within(create, 'burstRecoveredShare', (v) => v > 0.8, '> 80%');

  const queue = probe(report, 'offline-queue');
  assert.ok(queue.perItemBytes! > 50 && queue.perItemBytes! < 15 * 1024, String(queue.perItemBytes));
  within(queue, 'drainMs', (v) => v > 0 && v < 1000, 'between 0 and 1000 ms');
  within(queue, 'messagesDelivered', (v) => v >= 250 * 20, 'at least one full cycle');
  within(queue, 'dropped', (v) => v > 0, '> 0 (absent users hit the queue cap)');
  within(queue, 'maxQueueDepth', (v) => v === 500, '= the queue cap');

  const fanout = probe(report, 'ws-fanout');
  assert.ok(fanout.perItemBytes! < 1024 * 1024, String(fanout.perItemBytes));
  within(fanout, 'connections', (v) => v === 100, '100 by default');
  within(fanout, 'connectAvgMs', (v) => v > 0 && v < 2000, '< 2000 ms');
  within(fanout, 'connectSuccessRate', (v) => v > 0.8, '> 80%');
  within(fanout, 'messagesPerSecond', (v) => v > 100, '> 100/s');
  within(fanout, 'broadcastP50Ms', (v) => v > 0 && v < 1000, '< 1000 ms');
  within(fanout, 'broadcastP99Ms', (v) => v < 1000, '< 1000 ms');
  within(fanout, 'serverBytesPerConnection', (v) => v > 0 && v < 1024 * 1024, '< 1 MB');
  within(fanout, 'churnCycles', (v) => v > 0, 'at least one reconnect cycle');
  within(fanout, 'staleServerConnections', (v) => v === 0, '0');
  assert.equal(alive(metric(fanout, 'clientPid')), false, 'the WebSocket client process outlived the run');
  assert.deepEqual(clientProcesses(), []);
});

test('offline-queue and ws-fanout fail on growthRate against the leaky service', async () => {
  const json = join(tempDir(), 'report.json');
  const result = await runCli(['soak', 'offline-queue', 'ws-fanout', '--target', LEAKY, '--duration', '14s', '--json', json]);
  assert.equal(result.code, 1, result.stdout + result.stderr);
  assert.deepEqual(result.leftovers, []);
  const report = readReport(json);
  for (const p of report.probes) {
    assert.equal(p.verdict, 'fail', `${p.name}: ${JSON.stringify(p.budgets)}`);
    assert.equal(p.fault, null, p.name);
    const failing = p.budgets.filter((b) => b.status === 'fail').map((b) => b.name);
    assert.ok(failing.includes('growthRate'), `${p.name}: failing budgets ${failing.join(', ')}`);
  }
  // The planted leaks show in the probes' own figures too.
  assert.ok(metric(probe(report, 'offline-queue'), 'maxQueueDepth') > 500);
  assert.equal(metric(probe(report, 'offline-queue'), 'dropped'), 0);
  assert.ok(metric(probe(report, 'ws-fanout'), 'staleServerConnections') > 0);
  assert.equal(alive(metric(probe(report, 'ws-fanout'), 'clientPid')), false);
});

test('the WebSocket client process exits when the probe child is SIGKILLed', async () => {
  let victim: [number, number] | undefined;
  const result = await runCli(['soak', 'ws-fanout', '--duration', '30s', '--timeout', '10s'], {
    onSpawn: (cli) => {
      const poll = setInterval(() => {
        // The client whose parent (the probe child) descends from this CLI run.
        const mine = clientProcesses().find(([, ppid]) => procStat(ppid)?.ppid === cli.pid);
        if (mine === undefined) return;
        clearInterval(poll);
        victim = mine;
        process.kill(mine[1], 'SIGKILL');
      }, 100);
      cli.once('exit', () => clearInterval(poll));
    },
    timeoutMs: 60_000,
  });
  assert.ok(victim, 'never saw the client process');
  assert.equal(result.code, 2, result.stdout + result.stderr);
  assert.match(result.stdout, /crash|killed/i);
  assert.deepEqual(result.leftovers, []);
  assert.equal(alive(victim[0]), false, 'the client process was left behind');
});

