import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CheckReport } from '../../src/engine/check-report.js';
import type { HistoryRun } from '../../src/history/types.js';
import { fixture, ROOT, runCli, tempDir } from '../support/cli.js';
import { earlierNights } from '../support/history.js';

const HOSTILE = '<img src=x onerror=alert(1)>';

/** A folder with a config: suite "leaks" runs the 64 KB/s leak, suite "steady" a clean probe with a hostile name. */
function project(extra: Record<string, unknown> = {}): string {
  const dir = tempDir();
  writeFileSync(
    join(dir, 'hostile-clean.mjs'),
    `export default { name: ${JSON.stringify(HOSTILE)}, setup: () => ({ n: 0 }), iteration(s) { s.n += Array.from({ length: 20 }, (_, i) => i).length; } };\n`,
  );
  // 2.6 s soak windows, sampled every 200 ms so a loaded machine still gets 8+ samples: a clean probe can
  // read ~10 KB/s of warm-up growth there, the leak reads 60-75 KB/s.
  const config = {
    suites: { leaks: [fixture('leaky.mjs')], steady: ['./hostile-clean.mjs'] },
    duration: '6s',
    warmup: '400ms',
    interval: '200ms',
    budgets: { growthRate: '32KB/s' },
    probeBudgets: { [HOSTILE]: { growthRate: '128KB/s' } },
    outDir: 'out',
    ...extra,
  };
  writeFileSync(join(dir, 'memprobe.config.mjs'), `export default ${JSON.stringify(config, null, 2)};\n`);
  return dir;
}

test('memprobe check: a leak fails (exit 1); the four reports, JUnit failure, regression against the history', async () => {
  const dir = project();
  writeFileSync(join(dir, 'history.jsonl'), earlierNights(4, 6000));
  const result = await runCli(['check', '--history', 'history.jsonl'], { cwd: dir });
  assert.equal(result.code, 1, result.stdout + result.stderr);
  assert.deepEqual(result.leftovers, []);
  const out = join(dir, 'out');
  assert.deepEqual(readdirSync(out).sort(), ['junit.xml', 'report.html', 'report.json', 'summary.md']);

  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as CheckReport;
  assert.equal(report.schemaVersion, 1);
  assert.equal(report.kind, 'check');
  assert.equal(report.verdict, 'fail');
  assert.equal(report.system.node, process.version);
  assert.ok(report.system.cpu.cores > 0 && report.system.totalMemory > 0 && report.system.cpu.model !== '');
  assert.deepEqual(Object.keys(report.config.suites), ['leaks', 'steady']);
  assert.deepEqual(
    report.probes.map((p) => [p.name, p.verdict]),
    [
      ['leaky', 'fail'],
      [HOSTILE, 'pass'],
    ],
  );
  assert.equal(report.history?.earlierRuns, 4);
  assert.deepEqual(
    report.regressions?.map((r) => [r.probe, r.metric]).filter(([, m]) => m === 'heapGrowth'),
    [['leaky', 'heapGrowth']],
  );

  const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
  assert.match(junit, /<testsuites name="memprobe check" tests="2" failures="1" errors="0"/);
  const cases = [...junit.matchAll(/<testcase name="([^"]*)" classname="([^"]*)" time="[\d.]+"/g)].map((m) => [
    m[1],
    m[2],
  ]);
  assert.deepEqual(cases, [
    ['leaky', 'memprobe.leaks'],
    ['&lt;img src=x onerror=alert(1)&gt;', 'memprobe.steady'],
  ]);
  assert.match(
    junit,
    /<failure message="growthRate \(heap\): \+\d+\.\d KB\/s, budget at most 32\.0 KB\/s" type="growthRate">/,
  );

  const summary = readFileSync(join(out, 'summary.md'), 'utf8');
  assert.match(summary, /^## ❌ memprobe check: FAIL/);
  assert.match(summary, /\| leaky \| ❌ fail \| \+\d+\.\d KB\/s/);
  assert.match(summary, /\| &lt;img src=x onerror=alert\(1\)&gt; \| ✅ pass \|/);
  assert.match(summary, /### ⚠️ \d+ regressions? against the history/);

  const html = readFileSync(join(out, 'report.html'), 'utf8');
  assert.doesNotMatch(html, /<script|<link|@import|<img/i, 'no script, stylesheet link, import or image element');
  assert.doesNotMatch(html, /\s(src|href)\s*=\s*["']?(https?:)?\/\//i, 'no remote src/href');
  assert.doesNotMatch(html, /url\(\s*["']?(https?:)?\/\//i, 'no remote url()');
  assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
  assert.match(html, /Regressions against the history/);

  assert.match(result.stdout, /memprobe check · 2 probes/);
  assert.match(result.stdout, /REGRESSION leaky heap growth/);
  const history = readFileSync(join(dir, 'history.jsonl'), 'utf8').trim().split('\n');
  assert.equal(history.length, 5);
  const appended = JSON.parse(history[4]!) as HistoryRun;
  assert.equal(appended.verdict, 'fail');
  assert.deepEqual(
    appended.probes.map((p) => p.name),
    ['leaky', HOSTILE],
  );
});

test('--suites runs only the named suites; the JUnit file has one testsuite', async () => {
  const dir = project({ duration: '3s' });
  const result = await runCli(['check', '--suites', 'steady', '--out', 'only-steady'], { cwd: dir });
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const report = JSON.parse(readFileSync(join(dir, 'only-steady', 'report.json'), 'utf8')) as CheckReport;
  assert.deepEqual(
    report.probes.map((p) => p.name),
    [HOSTILE],
  );
  assert.equal(report.history, undefined);
  const junit = readFileSync(join(dir, 'only-steady', 'junit.xml'), 'utf8');
  assert.equal((junit.match(/<testsuite /g) ?? []).length, 1);
  assert.match(junit, /<testsuites name="memprobe check" tests="1" failures="0" errors="0"/);
});

test('bad options and a bad config: every problem at once, one line, exit 2, nothing run', async () => {
  const dir = project();
  const options = await runCli(
    [
      'check',
      '--suites',
      'nope',
      'steady',
      '--history-window',
      '0',
      '--duration',
      'soon',
      '--budget',
      'growthRate=fast',
    ],
    { cwd: dir },
  );
  assert.equal(options.code, 2);
  const lines = options.stderr.trim().split('\n');
  assert.equal(lines.length, 1, options.stderr);
  assert.match(lines[0]!, /^memprobe: invalid options: /);
  assert.match(lines[0]!, /--suites: unknown suite 'nope' \(known: leaks, steady\)/);
  assert.match(lines[0]!, /--history-window: '0' is not a positive whole number/);
  assert.match(lines[0]!, /--duration: 'soon' is not a duration/);
  assert.match(lines[0]!, /--budget growthRate: 'fast' is not a rate/);
  assert.equal(existsSync(join(dir, 'out')), false);

  writeFileSync(
    join(dir, 'bad.json'),
    JSON.stringify({ suites: { a: [] }, outDir: 3, historyWindow: 'ten', colour: 'red' }),
  );
  const config = await runCli(['check', '--config', 'bad.json'], { cwd: dir });
  assert.equal(config.code, 2);
  assert.equal(config.stderr.trim().split('\n').length, 1, config.stderr);
  for (const key of ['suites.a:', 'outDir:', 'historyWindow:', 'colour: unknown key'])
    assert.ok(config.stderr.includes(key), `${key} in ${config.stderr}`);
});

test('Ctrl-C: exit 130, the partial reports are still written, and the run is not added to the history', async () => {
  const dir = project({ duration: '30s' });
  let sent = false;
  const result = await runCli(['check', '--history', 'h.jsonl'], {
    cwd: dir,
    onSpawn: (child, output) => {
      const poll = setInterval(() => {
        if (!sent && /leaky: \d+\/\d+ s/.test(output())) {
          sent = true;
          child.kill('SIGINT');
        }
        if (sent || child.exitCode !== null) clearInterval(poll);
      }, 100);
    },
    timeoutMs: 60_000,
  });
  assert.ok(sent, result.stderr);
  assert.equal(result.code, 130, result.stdout + result.stderr);
  assert.deepEqual(result.leftovers, []);
  const report = JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8')) as CheckReport;
  assert.equal(report.interrupted, true);
  assert.equal(report.history?.appended, false);
  assert.ok(
    existsSync(join(dir, 'out', 'junit.xml')) &&
      existsSync(join(dir, 'out', 'summary.md')) &&
      existsSync(join(dir, 'out', 'report.html')),
  );
  assert.match(readFileSync(join(dir, 'out', 'summary.md'), 'utf8'), /\(interrupted, partial\)/);
  // The clean probe never started: it is still a testcase, skipped, so the CI widget shows what did not run.
  assert.deepEqual(report.notRun, [join(dir, 'hostile-clean.mjs')]);
  assert.match(
    readFileSync(join(dir, 'out', 'junit.xml'), 'utf8'),
    /<skipped message="not run: interrupted before it started"\/>/,
  );
  assert.equal(existsSync(join(dir, 'h.jsonl')), false);
});

test('check runs the programs a config names, like soak -- COMMAND, and reports them as test cases', async () => {
  const dir = tempDir();
  const service = join(ROOT, 'fixtures', 'programs', 'request-log-service.mjs');
  const drive = 'http://127.0.0.1:{port}/orders';
  writeFileSync(
    join(dir, 'memprobe.config.json'),
    JSON.stringify({
      // 15 s each: a program's own warm-up (JIT, caches) needs more than a few seconds.
      duration: '30s',
      // A driven server needs a longer warm-up than the default 2 s (see docs/guides/soak-your-server.md).
      warmup: '5s',
      budgets: { growthRate: '16KB/s' },
      programs: [
        { command: ['node', service], drive, rate: '500/s' },
        { command: ['env', 'RING_SIZE=200', 'node', service], drive, rate: '500/s' },
      ],
    }),
  );
  const result = await runCli(['check'], { cwd: dir });
  assert.deepEqual(result.leftovers, []);
  const junit = readFileSync(join(dir, 'memprobe-out', 'junit.xml'), 'utf8');
  assert.equal((junit.match(/<testcase /g) ?? []).length, 2);
  assert.match(junit, /<failure [^>]*growthRate/);
  const report = JSON.parse(readFileSync(join(dir, 'memprobe-out', 'report.json'), 'utf8')) as {
    probes: Array<{ name: string; verdict: string }>;
  };
  assert.deepEqual(
    report.probes.map((p) => p.verdict),
    ['fail', 'pass'],
    result.stdout,
  );
  assert.equal(result.code, 1);
});

test('check runs the load runs a config names: each is a JUnit testcase, in every report, and gates the exit code', async () => {
  const dir = tempDir();
  writeFileSync(
    join(dir, 'memprobe.config.json'),
    JSON.stringify({
      probes: [fixture('clean.mjs')],
      duration: '4s',
      load: [
        { rate: '200/s', duration: '2s', warmup: '0.5s', maxLag: '250ms' },
        { rate: '100/s', duration: '1s', warmup: '0.2s', maxLag: '250ms', thresholds: ['p50<0.001ms'] },
      ],
    }),
  );
  const result = await runCli(['check'], { cwd: dir });
  assert.deepEqual(result.leftovers, []);
  const out = join(dir, 'memprobe-out');
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as CheckReport;
  assert.equal(report.load?.length, 2, result.stdout + result.stderr);
  const [served, strict] = report.load!;
  assert.ok(
    served!.histogram.reduce((n, b) => n + b.count, 0) === served!.latency.count && served!.latency.count > 300,
    JSON.stringify(served!.histogram),
  );
  // Its threshold cannot be met (a busy machine may flag the generator instead: that fails the check too).
  assert.ok(
    strict!.thresholds.some((t) => t.threshold === 'p50<0.001ms' && t.status === 'fail'),
    JSON.stringify(strict!.thresholds),
  );
  assert.ok(['fail', 'generator-saturated'].includes(strict!.status), strict!.status);
  assert.equal(report.verdict, 'fail');
  assert.equal(result.code, 1);
  const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
  assert.match(junit, /<testsuite name="load" tests="2" failures="[12]"/);
  assert.match(junit, /<testcase name="load 2 \(open\)" classname="memprobe\.load" time="[\d.]+">\s*<failure /);
  assert.match(readFileSync(join(out, 'summary.md'), 'utf8'), /### Load/);
  assert.match(readFileSync(join(out, 'report.html'), 'utf8'), /id="load".*Latency histogram/s);
});
