import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRequestRate } from '../../../src/core/units.js';
import { checkTargetUrl, isLoopbackHost, parseUsers, resolveLoadOptions } from '../../../src/load/options.js';

test('only loopback hosts are loaded', () => {
  for (const host of ['localhost', 'LOCALHOST', '127.0.0.1', '127.1.2.3', '127.255.255.255', '[::1]']) assert.equal(isLoopbackHost(host), true, host);
  for (const host of ['example.com', '10.0.0.1', '128.0.0.1', '0.0.0.0', '[::]', '[::ffff:7f00:1]', 'localhost.evil.com', '127.0.0.1.nip.io']) assert.equal(isLoopbackHost(host), false, host);
});

test('target URLs: not a URL, wrong scheme, https, remote host each say why', () => {
  assert.deepEqual(checkTargetUrl('http://127.0.0.1:8080/x?y=1', '--url', ['http:']).ok, true);
  const notUrl = checkTargetUrl('127.0.0.1:8080', '--url', ['http:']);
  assert.ok(!notUrl.ok);
  const remote = checkTargetUrl('http://example.com/', '--url', ['http:']);
  assert.ok(!remote.ok && /only targets this machine.*127\.0\.0\.0\/8, ::1 or localhost.*'example\.com'/.test(remote.problem));
  const https = checkTargetUrl('https://127.0.0.1/', '--url', ['http:']);
  assert.ok(!https.ok && /https is not supported/.test(https.problem));
  const ws = checkTargetUrl('http://127.0.0.1/', '--ws', ['ws:']);
  assert.ok(!ws.ok && /use ws/.test(ws.problem));
});

test('rates and user ramps', () => {
  assert.deepEqual(parseRequestRate('1000/s'), { ok: true, value: 1000 });
  assert.deepEqual(parseRequestRate('250'), { ok: true, value: 250 });
  assert.deepEqual(parseRequestRate('6000/min'), { ok: true, value: 100 });
  for (const bad of ['0/s', 'fast', '-5/s', '10/h']) assert.equal(parseRequestRate(bad).ok, false, bad);
  assert.deepEqual(parseUsers('1, 5,10,20'), { ok: true, value: [1, 5, 10, 20] });
  assert.deepEqual(parseUsers('8'), { ok: true, value: [8] });
  for (const bad of ['1,0', '5,3', '1,,2', 'x', '1.5']) assert.equal(parseUsers(bad).ok, false, bad);
});

test('every problem is reported at once, before anything runs', async () => {
  const { options, problems } = await resolveLoadOptions(
    { url: 'http://example.com/', rate: 'fast', users: '1,5', think: 'x', duration: 'soon', connections: '0', timeout: '0s', threshold: ['p95~1'], broadcast: '/x' },
    process.cwd(),
  );
  assert.equal(options, null);
  const text = problems.join('\n');
  for (const expected of [/example\.com/, /cannot be combined/, /--rate: 'fast'/, /--think/, /--duration: 'soon'/, /--timeout/, /--threshold 'p95~1'/, /--broadcast applies only to --ws/]) {
    assert.match(text, expected);
  }
});

test('defaults: the embedded service with the notification scenario and a 1-20 user ramp', async () => {
  const { options, problems } = await resolveLoadOptions({ threshold: [] }, process.cwd());
  assert.deepEqual(problems, []);
  assert.equal(options?.mode, 'closed');
  assert.equal(options?.embedded, true);
  assert.deepEqual(options?.users, [1, 5, 10, 20]);
  assert.deepEqual(options?.scenario.operations.map((op) => op.name), ['create', 'list', 'mark read', 'stats']);
  assert.deepEqual(options?.thresholds.map((t) => t.text), ['p95<500ms', 'errors<5%']);
});

test('a plain --url is one GET operation; --ws alone is the embedded fan-out', async () => {
  const open = (await resolveLoadOptions({ url: 'http://localhost:9/health?deep=1', rate: '100/s', threshold: [] }, process.cwd())).options;
  assert.equal(open?.mode, 'open');
  assert.deepEqual(open?.scenario.operations.map((op) => [op.method, op.path]), [['GET', '/health?deep=1']]);
  const ws = (await resolveLoadOptions({ ws: true, threshold: [] }, process.cwd())).options;
  assert.equal(ws?.mode, 'ws');
  assert.equal(ws?.embedded, true);
  assert.equal(ws?.connections, 1000);
  assert.equal(ws?.rate, 10);
});
