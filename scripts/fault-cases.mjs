#!/usr/bin/env node
/**
 * Runs every case of the "faults and bad input" list through a memprobe CLI and prints a Markdown table:
 * the command, the exit code (or the signal that ended memprobe), the first line printed, and the processes
 * left running afterwards (found by a tag in their environment, which every child inherits).
 *
 *   npm run build && node scripts/fault-cases.mjs                       this checkout
 *   node scripts/fault-cases.mjs --memprobe ../old/bin/memprobe.js      another build, for a before/after table
 *
 * It needs /proc (Linux) and writes only into a temporary folder. The device cases use device nodes made there
 * (mknod, as root; skipped otherwise), so an old build that replaces a device harms only those copies.
 */
import { spawn, execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const flag = process.argv.indexOf('--memprobe');
const BIN = resolve(flag > 0 ? process.argv[flag + 1] : join(ROOT, 'bin', 'memprobe.js'));
const dir = mkdtempSync(join(tmpdir(), 'memprobe-faults-'));
const faults = (name) => join(ROOT, 'fixtures', 'faults', name);
const service = join(ROOT, 'fixtures', 'programs', 'request-log-service.mjs');
const driver = join(ROOT, 'fixtures', 'programs', 'steady-driver.mjs');

// A snapshot to inspect, a world-readable file to overwrite, a file where a folder is expected, a config.
const snapshot = join(dir, 'things.heapsnapshot');
execFileSync(process.execPath, ['-e', `globalThis.k = Array.from({ length: 1000 }, (_, i) => ({ i })); require('v8').writeHeapSnapshot(${JSON.stringify(snapshot)})`]);
const shared = join(dir, 'shared.json');
writeFileSync(shared, '{}');
chmodSync(shared, 0o644);
const aFile = join(dir, 'a-file');
writeFileSync(aFile, '');
const checkDir = join(dir, 'check');
execFileSync('mkdir', ['-p', checkDir]);
writeFileSync(join(checkDir, 'memprobe.config.json'), JSON.stringify({ duration: '4s', programs: [{ command: ['sleep', '100'] }] }));
const history = join(dir, 'history.jsonl');
/** A copy of /dev/null (1,3) or /dev/full (1,7) in the temporary folder, or null without the right to make one. */
function device(name, minor) {
  try {
    execFileSync('mknod', ['-m', '666', join(dir, name), 'c', '1', String(minor)], { stdio: 'ignore' });
    return join(dir, name);
  } catch {
    return null;
  }
}
const devFull = device('full', 7);
const devNull = device('null', 3);
const isDevice = (path) => (statSync(path).isCharacterDevice() ? 'still a device' : 'REPLACED by a regular file');

const CASES = [
  ...(devFull ? [{ name: 'inspect --json DEVICE (a /dev/full)', args: ['inspect', snapshot, '--json', devFull], after: () => isDevice(devFull) }] : []),
  ...(devNull ? [{ name: 'inspect --json DEVICE (a /dev/null)', args: ['inspect', snapshot, '--json', devNull], after: () => isDevice(devNull) }] : []),
  { name: 'inspect X --json X', args: ['inspect', snapshot, '--json', snapshot], after: () => `input ${readFileSync(snapshot, 'utf8').startsWith('{"snapshot"') ? 'intact' : 'OVERWRITTEN'}` },
  { name: 'inspect --json over a 0644 file', args: ['inspect', snapshot, '--json', shared], after: () => `mode ${(statSync(shared).mode & 0o777).toString(8)}` },
  { name: 'soak -- sleep 100 (no inspector)', args: ['soak', '--duration', '6s', '--', 'sleep', '100'], timeoutMs: 60_000 },
  { name: 'check with a program that never opens an inspector', args: ['check', '--out', join(checkDir, 'out')], cwd: checkDir, timeoutMs: 60_000, after: () => `${existsSync(join(checkDir, 'out')) ? readdirSync(join(checkDir, 'out')).length : 0} report files` },
  { name: 'probe with a detached child', args: ['soak', faults('detached-child.mjs'), '--duration', '4s'] },
  { name: 'kill -9 of memprobe mid-soak', args: ['soak', faults('detached-child.mjs'), '--duration', '60s'], killWhen: /detached-child: \d+\/\d+ s/ },
  { name: 'kill -9 of memprobe in a program soak', args: ['soak', '--duration', '60s', '--drive', driver, '--', 'node', service], killWhen: /request-log-service\.mjs: \d+\/\d+ s/ },
  { name: "probe calls process.send({ type: 'done' })", args: ['soak', faults('spoofs-protocol.mjs'), '--duration', '4s'] },
  { name: 'invalid budgets in a probe file (20 s soak)', args: ['soak', faults('bad-budgets.mjs'), '--duration', '20s'], timed: true },
  { name: "items() returns NaN with perItem '1B'", args: ['soak', faults('bad-items.mjs'), '--duration', '4s'] },
  { name: '--profile heap,cpu in program mode', args: ['soak', '--duration', '6s', '--profile', 'heap,cpu', '--out', join(dir, 'prof'), '--drive', driver, '--', 'node', service], after: () => `${existsSync(join(dir, 'prof')) ? readdirSync(join(dir, 'prof')).filter((f) => /profile$/.test(f)).length : 0} profile files` },
  { name: '--duration 9999999999s', args: ['soak', '--duration', '9999999999s'] },
  { name: 'profile --out FILE', args: ['profile', '--duration', '2s', '--out', aFile, '--', 'node', '-e', 'setInterval(() => {}, 100)'] },
  { name: 'an unknown option', args: ['soak', '--frobnicate'] },
  { name: 'a default export that is a function', args: ['soak', faults('function-export.mjs'), '--duration', '2s'], line: /the default export|no default export/ },
  { name: 'a probe syntax error', args: ['soak', faults('syntax-error.mjs'), '--duration', '2s', '--verbose'], line: /SyntaxError|Unexpected/ },
  { name: 'escape sequences in a probe name', args: ['soak', faults('escape-name.mjs'), '--duration', '2s'], line: /escape/, after: (out) => (out.includes('\u001b') ? 'raw ESC printed' : 'no raw ESC') },
  {
    name: 'history line with peakRss: -1',
    args: ['check', '--config', join(dir, 'history.config.json'), '--history', history, '--out', join(dir, 'hist-out')],
    before: () => {
      writeFileSync(join(dir, 'history.config.json'), JSON.stringify({ probes: [faults('escape-name.mjs')], duration: '3s' }));
      writeFileSync(history, `${historyLines()}\n`);
    },
    line: /regression|skipped lines/i,
  },
];

/** Five ordinary runs and one whose peakRss is -1, for the history case. */
function historyLines() {
  const probe = { name: 'escape\u001b[2J\u001b]0;owned\u0007-name', verdict: 'pass', heapGrowth: 0, heapGrowthCi: [0, 0], externalGrowth: 0, externalGrowthCi: [0, 0], perItem: null, gcRecovery: null, iterationsPerSecond: 1e6, peakRss: 60e6 };
  const run = (i, patch = {}) => JSON.stringify({ schemaVersion: 1, timestamp: `2026-11-2${i}T00:00:00.000Z`, commit: null, verdict: 'pass', durationMs: 2000, probes: [{ ...probe, ...patch }] });
  return [run(1), run(2), run(3), run(4, { peakRss: -1 }), run(5, { peakRss: -1 }), run(6, { peakRss: -1 })].join('\n');
}

/** The line that says what happened: an error of memprobe's, a probe's fault or note, a stack trace's head. */
const TELLING = /^(memprobe:|error:|(load|setup|iteration|teardown|crash|timeout|note|interrupted):|\w*Error\b|report written)/;

function tagged(tag) {
  const found = [];
  for (const pid of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      if (/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'))) continue;
      if (!readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(`FAULT_CASE_TAG=${tag}`)) continue;
      found.push(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).slice(0, 3).join(' '));
    } catch {
      // gone
    }
  }
  return found;
}

function run(c) {
  c.before?.();
  const tag = randomUUID();
  const started = Date.now();
  const child = spawn(process.execPath, [BIN, ...c.args], {
    cwd: c.cwd ?? dir,
    env: { ...process.env, FAULT_CASE_TAG: tag, CI: 'true', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => {
    stderr += d;
    if (c.killWhen?.test(stderr)) child.kill('SIGKILL');
  });
  let overdue = false;
  const limit = setTimeout(() => {
    overdue = true;
    child.kill('SIGKILL');
  }, c.timeoutMs ?? 90_000);
  return new Promise((done) => {
    child.on('close', async (code, signal) => {
      clearTimeout(limit);
      await new Promise((r) => setTimeout(r, 1000)); // what dies with memprobe has a moment to go
      const left = tagged(tag);
      const pick = (text) => text.split('\n').map((l) => l.trim()).filter(Boolean);
      const lines = [...pick(stderr), ...pick(stdout)];
      const first = (c.line ? lines.find((l) => c.line.test(l)) : lines.find((l) => TELLING.test(l)) ?? lines.find((l) => /verdict:/.test(l))) ?? '';
      const shown = first.replace(/\u001b/g, '<ESC>').replace(/\u0007/g, '<BEL>').replaceAll(dir, '…').replaceAll(ROOT, '.');
      const ended = overdue ? `hung: killed at ${(c.timeoutMs ?? 90_000) / 1000} s` : signal ? `killed (${signal})` : String(code);
      const extra = [c.timed ? `${((Date.now() - started) / 1000).toFixed(1)} s` : '', c.after?.(stdout + stderr) ?? ''].filter(Boolean).join('; ');
      done(`| ${c.name} | ${ended} | ${shown.slice(0, 110).replaceAll('|', '\\|')}${extra ? ` (${extra})` : ''} | ${left.length === 0 ? 'none' : left.join(', ')} |`);
      for (const pid of readdirSync('/proc')) if (/^\d+$/.test(pid)) try { if (readFileSync(`/proc/${pid}/environ`, 'latin1').includes(`FAULT_CASE_TAG=${tag}`)) process.kill(Number(pid), 'SIGKILL'); } catch {}
    });
  });
}

console.log(`memprobe at ${BIN.replaceAll(ROOT, '.')}, node ${process.version}\n`);
console.log('| case | exit | first line printed | processes left |');
console.log('| --- | --- | --- | --- |');
for (const c of CASES) console.log(await run(c));
