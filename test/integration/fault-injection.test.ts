/**
 * Fault injection: each case of the "faults and bad input" list runs in a real child of the real CLI, and
 * asserts the exit code, the one-line message, and that no process is left (runCli finds every process that
 * carries the run's tag in its environment, detached or not).
 */
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { SoakReport } from '../../src/types.js';
import { assertOneLine, ROOT, runCli, tempDir } from '../support/cli.js';
import { writeLeakedThings } from '../support/heap-fixtures.js';

const fault = (name: string): string => join(ROOT, 'fixtures', 'faults', name);
const service = join(ROOT, 'fixtures', 'programs', 'request-log-service.mjs');
const readReport = (file: string): SoakReport => JSON.parse(readFileSync(file, 'utf8')) as SoakReport;

test('an output path is never removed first: a device stays a device, a regular file is replaced 0600, an input is refused', async () => {
  const dir = tempDir();
  const snapshot = writeLeakedThings(dir);
  const before = statSync(snapshot);
  const intoInput = await runCli(['inspect', snapshot, '--json', snapshot]);
  assert.equal(intoInput.code, 2);
  assertOneLine(intoInput.stderr, /--json: .* is one of the inputs/);
  assert.equal(statSync(snapshot).size, before.size);
  assert.equal(statSync(snapshot).mtimeMs, before.mtimeMs);

  const intoNull = await runCli(['inspect', snapshot, '--json', '/dev/null']);
  assert.equal(intoNull.code, 0, intoNull.stderr);
  assert.ok(statSync('/dev/null').isCharacterDevice(), '/dev/null must still be a device');

  const shared = join(dir, 'shared.json');
  writeFileSync(shared, 'old');
  chmodSync(shared, 0o644);
  const over = await runCli(['inspect', snapshot, '--json', shared]);
  assert.equal(over.code, 0, over.stderr);
  assert.equal(statSync(shared).mode & 0o777, 0o600);
  assert.equal(JSON.parse(readFileSync(shared, 'utf8')).kind, 'inspect');
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'no temporary file left');

  const full = await runCli(['inspect', snapshot, '--json', '/dev/full']);
  assert.equal(full.code, 2);
  assertOneLine(full.stderr, /cannot write \/dev\/full: no space left on device \(ENOSPC\)/);
  assert.ok(statSync('/dev/full').isCharacterDevice());
});

test('a program that never opens an inspector is stopped with its group at the listen timeout (exit 2)', async () => {
  const json = join(tempDir(), 'report.json');
  const result = await runCli(['soak', '--duration', '6s', '--listen-timeout', '2s', '--json', json, '--', 'sleep', '100']);
  assert.equal(result.code, 2, result.stdout + result.stderr);
  assert.match(result.stdout, /setup: sleep did not open its inspector within 2000 ms/);
  assert.equal(readReport(json).probes[0]?.verdict, 'error');
  assert.deepEqual(result.leftovers, []);
});

test('a check whose config names such a program still writes its four reports', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'memprobe.config.json'), JSON.stringify({ duration: '4s', programs: [{ command: ['sleep', '100'] }] }));
  const result = await runCli(['check', '--out', join(dir, 'out')], { cwd: dir });
  assert.equal(result.code, 2, result.stdout + result.stderr);
  assert.deepEqual(readdirSync(join(dir, 'out')).sort(), ['junit.xml', 'report.html', 'report.json', 'summary.md']);
  assert.deepEqual(result.leftovers, []);
});

test('a probe\'s detached child is killed at teardown and named in the report', async () => {
  const json = join(tempDir(), 'report.json');
  const result = await runCli(['soak', fault('detached-child.mjs'), '--duration', '4s', '--json', json]);
  assert.ok(result.code === 0 || result.code === 1, result.stdout + result.stderr);
  const notes = readReport(json).probes[0]!.notes;
  assert.ok(notes.some((n) => /killed 1 process\(es\) the probe left running outside its process group: sleep 1000/.test(n)), notes.join('\n'));
  assert.deepEqual(result.leftovers, []);
});

/** Runs memprobe and SIGKILLs it (memprobe alone, not its children) once `ready` shows in its output. */
async function killedMidRun(args: string[], ready: RegExp) {
  return runCli(args, {
    onSpawn: (child, output) => {
      const poll = setInterval(() => {
        if (!ready.test(output())) return;
        clearInterval(poll);
        child.kill('SIGKILL');
      }, 100);
    },
  });
}

test('kill -9 of memprobe mid-soak leaves none of its processes: probe child, its children, a detached one', async () => {
  const result = await killedMidRun(['soak', fault('detached-child.mjs'), '--duration', '60s'], /detached-child: \d+\/\d+ s/);
  assert.equal(result.signal, 'SIGKILL', result.stdout + result.stderr);
  assert.deepEqual(result.leftovers, []);
});

test('kill -9 of memprobe during a program soak ends the program (and its open inspector)', async () => {
  const driver = join(ROOT, 'fixtures', 'programs', 'steady-driver.mjs');
  const result = await killedMidRun(['soak', '--duration', '60s', '--drive', driver, '--', 'node', service], /request-log-service\.mjs: \d+\/\d+ s/);
  assert.equal(result.signal, 'SIGKILL', result.stdout + result.stderr);
  assert.deepEqual(result.leftovers, []);
});

test('a probe sending memprobe-like messages over process.send is ignored, not a crash', async () => {
  const json = join(tempDir(), 'report.json');
  const result = await runCli(['soak', fault('spoofs-protocol.mjs'), '--duration', '4s', '--json', json]);
  assert.ok(result.code === 0 || result.code === 1, result.stdout + result.stderr);
  assert.doesNotMatch(result.stderr, /TypeError|\n\s+at /);
  const probe = readReport(json).probes[0]!;
  assert.equal(probe.fault, null);
  assert.ok(probe.notes.some((n) => /ignored 9 message\(s\) the probe itself sent/.test(n)), probe.notes.join('\n'));
});

test('invalid probe budgets stop the probe when it loads, before the soak; items() must be a count', async () => {
  const json = join(tempDir(), 'report.json');
  const result = await runCli(['soak', fault('bad-budgets.mjs'), fault('bad-items.mjs'), '--duration', '20s', '--json', json]);
  assert.equal(result.code, 2, result.stdout + result.stderr);
  const [budgets, items] = readReport(json).probes;
  assert.equal(budgets?.fault?.kind, 'load');
  assert.match(budgets!.fault!.message, /growthRate: 'abc' is not a rate.*perItem: '-5' is not a size/);
  assert.equal(budgets?.iterations, 0, 'no iteration may run');
  assert.equal(items?.verdict, 'error');
  assert.match(items!.fault!.message, /items\(\) returned NaN, not a finite number/);
  assert.deepEqual(result.leftovers, []);
});

test('--profile works in program mode', async () => {
  const dir = tempDir();
  const json = join(dir, 'report.json');
  const driver = join(ROOT, 'fixtures', 'programs', 'steady-driver.mjs');
  const result = await runCli(['soak', '--duration', '8s', '--profile', 'heap,cpu', '--out', dir, '--drive', driver, '--json', json, '--', 'node', service]);
  const probe = readReport(json).probes[0]!;
  assert.ok(probe.profiles.heap && probe.profiles.heap.topSites.length > 0, result.stdout + result.stderr);
  assert.ok(probe.profiles.cpu && probe.profiles.cpu.topFunctions.length > 0);
  assert.ok(probe.profiles.heap.topSites.some((s) => s.functionName === 'RequestContext'));
  assert.equal(statSync(probe.profiles.heap.file).mode & 0o777, 0o600);
  assert.deepEqual(result.leftovers, []);
});

test('smaller faults: each one line, exit 2', async () => {
  const huge = await runCli(['soak', '--duration', '9999999999s']);
  assert.equal(huge.code, 2);
  assertOneLine(huge.stderr, /--duration: '9999999999s' is longer than the longest duration memprobe takes/);

  const file = join(tempDir(), 'a-file');
  writeFileSync(file, '');
  const outIsFile = await runCli(['profile', '--duration', '2s', '--out', file, '--', 'node', '-e', 'setInterval(() => {}, 100)']);
  assert.equal(outIsFile.code, 2);
  assertOneLine(outIsFile.stderr, /--out: .*a-file is a file, not a folder/);

  const unknown = await runCli(['soak', '--frobnicate']);
  assert.equal(unknown.code, 2);
  assertOneLine(unknown.stderr, /^memprobe: unknown option '--frobnicate'/);
  assert.deepEqual([huge, outIsFile, unknown].flatMap((r) => r.leftovers), []);
});

test('probe files: a function default export and a syntax error are named; escape sequences are shown, not obeyed', async () => {
  const json = join(tempDir(), 'report.json');
  const files = ['function-export.mjs', 'syntax-error.mjs', 'escape-name.mjs'].map(fault);
  const result = await runCli(['soak', ...files, '--duration', '3s', '--json', json]);
  assert.equal(result.code, 2);
  const [fn, syntax] = readReport(json).probes;
  assert.match(fn!.fault!.message, /the default export is a function; export a probe object/);
  assert.match(syntax!.fault!.message, /syntax-error\.mjs:5: SyntaxError: Unexpected token/);
  assert.doesNotMatch(result.stdout + result.stderr, /\u001b/);
  assert.match(result.stdout, /escape\\x1b\[2J\\x1b\]0;owned\\x07-name/);
});

test('a snapshot written over an existing file replaces it whole, mode 0600', async () => {
  const dir = tempDir();
  const base = writeLeakedThings(dir);
  const copy = join(dir, 'copy.heapsnapshot');
  copyFileSync(base, copy);
  chmodSync(copy, 0o644);
  const result = await runCli(['diff', base, copy, '--json', copy]);
  assert.equal(result.code, 2, 'an input as output is refused');
  assert.equal(statSync(copy).mode & 0o777, 0o644, 'and left as it was');
});
