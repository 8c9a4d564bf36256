import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../../src/settings/load-config.js';
import { CONFIG_KEYS, validateConfig } from '../../../src/settings/validate.js';
import { ConfigError } from '../../../src/errors.js';
import { ROOT } from '../../support/cli.js';

test('every problem of the check keys is listed at once, each naming its key', () => {
  const { problems } = validateConfig({
    suites: { notification: ['notification-create', 7], websocket: [], '': ['x'] },
    outDir: '',
    history: 42,
    historyWindow: 0,
    failOnRegression: 'yes',
    warmup: '10s',
    duration: '5s',
    interval: 'often',
    timeout: 30,
    maxOldSpaceSize: 1.5,
    target: null,
    options: { connections: 1000, mode: 'fast' },
    profile: ['heap', 'memory'],
    snapshots: 'sometimes',
    reports: ['pdf'],
  });
  assert.deepEqual(problems.sort(), [
    "interval: 'often' is not a duration (use e.g. 500ms, 30s, 2m, 1h)",
    'failOnRegression: must be true or false',
    'history: must be a file path such as .memprobe/history.jsonl',
    'historyWindow: must be a positive whole number',
    'maxOldSpaceSize: must be a positive whole number',
    "options: connections: must be strings (write '1000', not 1000)",
    'outDir: must be a folder path',
    "profile: must be an array of 'heap' and/or 'cpu'",
    `reports: unknown key (known: ${CONFIG_KEYS.join(', ')})`,
    "snapshots: must be true, false or 'on-fail'",
    'suites.notification: must be a non-empty array of probe names or files',
    'suites.websocket: must be a non-empty array of probe names or files',
    'suites: a suite name is empty',
    'target: must be a module path',
    "timeout: must be a string such as '30s'",
    'warmup: must be shorter than duration',
  ].sort());
});

test('a valid config keeps its values; defaults for what it leaves out', () => {
  const { config, problems } = validateConfig({
    probes: ['offline-queue'],
    suites: { notification: ['notification-create', 'offline-queue'], websocket: ['ws-fanout'] },
    duration: '1m',
    outDir: 'out',
    history: '.memprobe/history.jsonl',
    historyWindow: 20,
    failOnRegression: true,
    interval: '500ms',
    options: { connections: '50' },
    profile: ['cpu'],
    snapshots: 'on-fail',
  });
  assert.deepEqual(problems, []);
  assert.deepEqual(config.suites, { notification: ['notification-create', 'offline-queue'], websocket: ['ws-fanout'] });
  assert.equal(config.durationMs, 60_000);
  assert.equal(config.sampleIntervalMs, 500);
  assert.equal(config.historyWindow, 20);
  assert.equal(config.failOnRegression, true);
  assert.deepEqual(config.profile, ['cpu']);
  assert.equal(config.snapshots, 'on-fail');
  const empty = validateConfig({}).config;
  assert.deepEqual([empty.suites, empty.options, empty.failOnRegression, empty.snapshots, empty.outDir], [{}, {}, false, false, undefined]);
});

test('loading: paths in probes, suites, outDir, history and target are relative to the config file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'memprobe-config-'));
  writeFileSync(
    join(dir, 'memprobe.config.mjs'),
    `export default { probes: ['./p/a.mjs', 'offline-queue'], suites: { s: ['ws-fanout', 'p/b.ts'] }, outDir: 'out', history: 'h/history.jsonl', target: './svc' };\n`,
  );
  const config = (await loadConfig('/', join(dir, 'memprobe.config.mjs')))!;
  assert.deepEqual(config.probes, [join(dir, 'p/a.mjs'), 'offline-queue']);
  assert.deepEqual(config.suites, { s: ['ws-fanout', join(dir, 'p/b.ts')] });
  assert.equal(config.outDir, join(dir, 'out'));
  assert.equal(config.history, join(dir, 'h/history.jsonl'));
  assert.equal(config.target, join(dir, 'svc'));
});

test('loading: a bad config file is one ConfigError with all of its problems', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'memprobe-config-'));
  writeFileSync(join(dir, 'memprobe.config.json'), JSON.stringify({ suites: [], historyWindow: -1 }));
  await assert.rejects(loadConfig(dir), (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    assert.deepEqual([...error.problems].sort(), ['historyWindow: must be a positive whole number', "suites: must be an object of probe lists, like { websocket: ['ws-fanout'] }"]);
    return true;
  });
});

test('load runs: the options of memprobe load as strings, every problem named by its place', () => {
  const { config, problems } = validateConfig({
    load: [{ users: '1,5', duration: '20s', thresholds: ['p95<200ms'] }, { rate: 500, ws: false, thresholds: 'p95<1s', colour: 'red' }, 'fast'],
  });
  assert.deepEqual(problems, [
    'load[1].colour: unknown key (known: url, rate, users, think, duration, warmup, connections, timeout, scenario, broadcast, target, maxLag, ws, thresholds)',
    "load[1].rate: must be a string, as on the command line (write '1000', not 1000)",
    "load[1].ws: must be a WebSocket URL, or true for the embedded service's",
    "load[1].thresholds: must be an array of strings such as 'p95<500ms'",
    "load[2]: must be an object of memprobe load options, like { users: '1,5,10', duration: '20s' }",
  ]);
  assert.deepEqual(config.loads[0], { threshold: ['p95<200ms'], users: '1,5', duration: '20s' });
  assert.deepEqual(validateConfig({ load: { ws: true } }).config.loads, [{ threshold: [], ws: true }]);
});

test('the nightly example config (examples/nightly) loads and is valid', async () => {
  const config = await loadConfig(join(ROOT, 'examples', 'nightly'));
  assert.deepEqual(Object.keys(config?.suites ?? {}), ['notification', 'websocket']);
  assert.deepEqual(config?.loads, [{ threshold: [], users: '1,5,10,20', duration: '40s', scenario: undefined, target: undefined }]);
});
