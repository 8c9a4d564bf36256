import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, test } from 'node:test';
import { RUNNING_WATCHDOG_MS } from '../../src/constants.js';
import type { SoakReport } from '../../src/types.js';
import { assertOneLine, ROOT, runCli } from '../support/cli.js';
import { REAL_PROGRAMS, realProgramsSkip, soakDir } from '../support/real-programs.js';

// `soak --pid` and `soak --attach` on real servers this file starts itself (express-session, the slow session-login
// program), each with its own traffic going on: the verdict, the store named, and the process left as it was found.
const skip = realProgramsSkip;
const PRELOAD = join(ROOT, 'fixtures', 'running', 'report-state.cjs');

interface Server {
  readonly child: ChildProcess;
  readonly port: number;
  /** The inspector's ws:// URL when it was started with --inspect. */
  readonly inspector: string | null;
  /** What the process says of itself (memprobe globals, inspector URL), asked with SIGUSR2. */
  state(): Promise<{ symbols: string[]; inspector: string | null }>;
  stop(): Promise<void>;
}

const servers: Server[] = [];
after(async () => {
  for (const server of servers) await server.stop();
});

async function startServer(leakBps: number, inspect: boolean): Promise<Server> {
  const args = ['-r', PRELOAD, ...(inspect ? ['--inspect=127.0.0.1:0'] : []), join('slow', 'session-login.mjs')];
  const child = spawn(process.execPath, args, {
    cwd: REAL_PROGRAMS,
    env: { ...process.env, PORT: '0', LEAK_BPS: String(leakBps) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const until = async <T>(find: () => T | null): Promise<T> => {
    for (let i = 0; i < 200; i++) {
      const found = find();
      if (found !== null) return found;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`the server did not start: ${out}${err}`);
  };
  const port = Number(await until(() => /listening on (\d+)/.exec(out)?.[1] ?? null));
  const inspector = inspect ? await until(() => /Debugger listening on (ws:\/\/\S+)/.exec(err)?.[1] ?? null) : null;
  // Its own traffic, as in production: the fixtures' driver, from this test process, until the server stops.
  const traffic = new AbortController();
  const { default: drive } = (await import(pathToFileURL(join(REAL_PROGRAMS, 'driver.mjs')).href)) as {
    default: (options: { port: number; signal: AbortSignal }) => Promise<unknown>;
  };
  const driving = drive({ port, signal: traffic.signal });
  const server: Server = {
    child,
    port,
    inspector,
    async state() {
      const seen = out.length;
      child.kill('SIGUSR2');
      const line = await until(() => /\{"state":.*\}\n/.exec(out.slice(seen))?.[0] ?? null);
      return (JSON.parse(line) as { state: { symbols: string[]; inspector: string | null } }).state;
    },
    async stop() {
      traffic.abort();
      await driving;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await new Promise((resolve) => child.once('exit', resolve));
      }
    },
  };
  servers.push(server);
  return server;
}

/** The process's state once memprobe has gone: the inspector it opened closes a moment (0.1 s) after it left. */
async function stateAfter(server: Server): ReturnType<Server['state']> {
  let state = await server.state();
  for (let i = 0; i < 20 && state.inspector !== null; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    state = await server.state();
  }
  return state;
}

async function serves(port: number): Promise<boolean> {
  const response = await fetch(`http://127.0.0.1:${port}/items/after-the-soak`).catch(() => null);
  return response?.status === 200;
}

async function inspectorPortOpen(port: number): Promise<boolean> {
  return (await fetch(`http://127.0.0.1:${port}/json/list`).catch(() => null)) !== null;
}

async function soakRunning(args: readonly string[]) {
  const dir = soakDir();
  const json = join(dir, 'report.json');
  const result = await runCli(['soak', '--no-progress', '--out', dir, '--json', json, ...args], {
    timeoutMs: 200_000,
  });
  const report = JSON.parse(readFileSync(json, 'utf8')) as SoakReport;
  return { ...result, report, probe: report.probes[0]! };
}

test(
  'soak --pid: a leaking server under its own traffic is a leak, its store named; then it is as it was',
  { skip },
  async () => {
    assert.equal(await inspectorPortOpen(9229), false, 'precondition: nothing listens on 127.0.0.1:9229');
    const server = await startServer(8192, false);
    const before = await server.state();
    assert.deepEqual(before, { symbols: [], inspector: null });
    const { code, stdout, stderr, probe } = await soakRunning(['--pid', String(server.child.pid)]);
    assert.equal(code, 1, stdout + stderr);
    assert.equal(probe.leak?.status, 'leak', stdout);
    assert.deepEqual(probe.leak.store?.path.slice(-2), ['sessions (Object)', '[*] (string)'], stdout);
    assert.match(stdout, /cost on the process: \d+ forced full GCs/);
    assert.ok(await serves(server.port), 'the process still serves');
    assert.deepEqual(await stateAfter(server), { symbols: [], inspector: null }, 'no memprobe global, no inspector');
    assert.equal(await inspectorPortOpen(9229), false, 'the inspector memprobe opened is closed');
  },
);

/**
 * A TCP forward from a port of its own to `port`, as `kubectl port-forward` or `ssh -L` gives: the inspector is
 * reached at an address that is not its own (and names its own in /json/list).
 */
async function forward(port: number): Promise<{ port: number; close(): void }> {
  const sockets = new Set<Socket>();
  const server = createServer((incoming) => {
    const outgoing = connect(port, '127.0.0.1');
    for (const s of [incoming, outgoing]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
    incoming.pipe(outgoing).pipe(incoming);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    close() {
      server.close();
      for (const s of sockets) s.destroy();
    },
  };
}

test(
  'soak --attach through a port-forward: the clean twin (--inspect) is no leak; its inspector stays open',
  { skip },
  async (t) => {
    const server = await startServer(0, true);
    const forwarded = await forward(Number(new URL(server.inspector!).port));
    t.after(() => forwarded.close());
    const address = `127.0.0.1:${forwarded.port}`;
    const { code, stdout, stderr, probe } = await soakRunning(['--attach', address, '--max-duration', '90s']);
    assert.equal(code, 0, stdout + stderr);
    assert.notEqual(probe.leak?.status, 'leak', stdout);
    assert.equal(probe.verdict, 'pass', stdout);
    assert.ok(await serves(server.port), 'the process still serves');
    const state = await server.state();
    assert.deepEqual(state.symbols, [], 'no memprobe global left');
    assert.equal(state.inspector, server.inspector, 'the inspector it had before memprobe came is still open');
    assert.ok(await inspectorPortOpen(Number(new URL(server.inspector!).port)));
  },
);

test(
  "soak --pid --gentle: samples only after the process's own major GCs, no snapshot, the cost printed",
  { skip },
  async () => {
    const server = await startServer(8192, false);
    const { code, stdout, stderr, probe } = await soakRunning([
      '--pid',
      String(server.child.pid),
      '--gentle',
      '--duration',
      '30s',
    ]);
    assert.ok(code === 0 || code === 1, stdout + stderr);
    assert.notEqual(probe.leak?.status, 'no-leak', stdout);
    assert.ok(probe.samples.length > 0, 'the process made major GCs under its traffic');
    assert.equal(probe.samples[0]!.phase, 'baseline');
    assert.ok(
      probe.samples.every((s) => s.gcMs === 0 && s.phase !== 'final'),
      'no GC forced',
    );
    assert.equal(probe.snapshots, null, 'no snapshot unless asked');
    assert.match(stdout, /cost on the process \(gentle: no GC forced\): .* heap read after \d+ of its own major GCs/);
    assert.ok(await serves(server.port), 'the process still serves');
    assert.deepEqual(await stateAfter(server), { symbols: [], inspector: null });
  },
);

test(
  'memprobe killed (SIGKILL) mid-soak --gentle: the process removes its helpers and closes the inspector',
  { skip },
  async () => {
    assert.equal(await inspectorPortOpen(9229), false, 'precondition: nothing listens on 127.0.0.1:9229');
    const server = await startServer(0, false);
    let killedAt = 0;
    const result = await runCli(['soak', '--no-progress', '--gentle', '--pid', String(server.child.pid)], {
      onSpawn: (child) =>
        void (async () => {
          // Killed once memprobe's helpers are in the process (the sampling under way).
          for (;;) {
            await new Promise((resolve) => setTimeout(resolve, 500));
            const { symbols } = await server.state();
            if (symbols.includes('memprobe.gcProfiler') && symbols.includes('memprobe.watchdog')) break;
          }
          killedAt = Date.now();
          child.kill('SIGKILL');
        })(),
      timeoutMs: 60_000,
    });
    assert.equal(result.signal, 'SIGKILL');
    assert.equal(await inspectorPortOpen(9229), true, 'memprobe could not clean up itself');
    let state = await server.state();
    while (state.symbols.length > 0 && Date.now() - killedAt < RUNNING_WATCHDOG_MS * 2) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      state = await server.state();
    }
    assert.ok(Date.now() - killedAt >= RUNNING_WATCHDOG_MS / 2, 'cleaned up by the watchdog, not before');
    // The inspector closes a moment after the helpers go.
    assert.deepEqual(await stateAfter(server), { symbols: [], inspector: null }, 'the watchdog cleaned up');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(await inspectorPortOpen(9229), false);
    assert.ok(await serves(server.port), 'the process still serves');
  },
);

test('Ctrl-C mid-soak --pid: the partial report, and the process at once as it was', { skip }, async () => {
  assert.equal(await inspectorPortOpen(9229), false, 'precondition: nothing listens on 127.0.0.1:9229');
  const server = await startServer(0, false);
  const dir = soakDir();
  const result = await runCli(
    ['soak', '--no-progress', '--json', join(dir, 'r.json'), '--pid', String(server.child.pid)],
    {
      onSpawn: (child) =>
        void (async () => {
          for (;;) {
            await new Promise((resolve) => setTimeout(resolve, 500));
            if ((await server.state()).symbols.includes('memprobe.watchdog')) break;
          }
          child.kill('SIGINT');
        })(),
      timeoutMs: 60_000,
    },
  );
  assert.equal(result.code, 130, result.stdout + result.stderr);
  assert.equal((JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as SoakReport).interrupted, true);
  // No wait for the watchdog: memprobe cleaned up before it exited.
  assert.deepEqual(await stateAfter(server), { symbols: [], inspector: null });
  assert.equal(await inspectorPortOpen(9229), false);
  assert.ok(await serves(server.port), 'the process still serves');
});

test('bad running-process flags: one line, exit 2', async () => {
  const gentle = await runCli(['soak', '--gentle', '--duration', '1s']);
  assert.equal(gentle.code, 2);
  assertOneLine(gentle.stderr, /--gentle goes with --pid or --attach/);
  const remote = await runCli(['soak', '--attach', '10.1.2.3:9229']);
  assert.equal(remote.code, 2);
  assertOneLine(remote.stderr, /only a loopback inspector/);
  const both = await runCli(['soak', '--pid', '1', '--attach', '127.0.0.1:9229']);
  assert.equal(both.code, 2);
  assertOneLine(both.stderr, /--pid or --attach, not both/);
});
