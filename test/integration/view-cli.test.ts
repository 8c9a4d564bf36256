/**
 * `memprobe view` without a browser: what the server refuses (no token, a wrong one, another Host or Origin,
 * POST), what it answers with the token (a strict CSP, the queries), usage errors, and Ctrl-C ending it with 0
 * and no process left.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { rmSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { assertOneLine, runCli, tempDir } from '../support/cli.js';
import { writeThreeSnapshots, type ThreeSnapshots } from '../support/heap-fixtures.js';
import { withView } from '../support/view-server.js';

const dir = tempDir();
let snaps: ThreeSnapshots;
before(() => {
  snaps = writeThreeSnapshots(dir, 2000, 2000);
});
after(() => rmSync(dir, { recursive: true, force: true }));

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** A raw request, so Host and Origin can be set as an attacker's page or a rebinding DNS name would. */
function get(url: URL, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: url.port, path, method, headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('view: the token is required on every request, other hosts and origins are refused, Ctrl-C ends with 0', async () => {
  const result = await withView([snaps.base, snaps.target, snaps.final], async (url) => {
    const token = url.searchParams.get('token')!;
    assert.equal(url.hostname, '127.0.0.1');
    assert.ok(token.length >= 32, token);
    const ok = await get(url, `/?token=${token}`);
    assert.equal(ok.status, 200);
    const csp = String(ok.headers['content-security-policy']);
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(ok.headers['referrer-policy'], 'no-referrer');
    assert.match(ok.body, new RegExp(`/app\\.js\\?token=${token}`));

    for (const path of ['/', '/app.js', '/api/session', '/api/classes']) {
      const refused = await get(url, path);
      assert.equal(refused.status, 403, path);
      assert.doesNotMatch(refused.body, /LeakedSession|global/);
    }
    // One character off (never the same: a token ending in x gets a y).
    const wrong = `${token.slice(0, -1)}${token.endsWith('x') ? 'y' : 'x'}`;
    assert.equal((await get(url, `/api/session?token=${wrong}`)).status, 403);
    assert.equal((await get(url, '/api/session', { 'x-memprobe-token': 'nope' })).status, 403);
    assert.equal((await get(url, '/api/session', { 'x-memprobe-token': token })).status, 200);
    const rebound = await get(url, `/api/session?token=${token}`, { host: `attacker.example:${url.port}` });
    assert.equal(rebound.status, 403);
    const foreign = await get(url, `/api/session?token=${token}`, { origin: 'http://attacker.example' });
    assert.equal(foreign.status, 403);
    assert.equal((await get(url, `/api/session?token=${token}`, { 'sec-fetch-site': 'cross-site' })).status, 403);
    assert.equal((await get(url, `/api/session?token=${token}`, {}, 'POST')).status, 403);

    const classes = JSON.parse((await get(url, `/api/classes?token=${token}&filter=leakedsess`)).body);
    assert.deepEqual(
      classes.rows.map((c: { name: string }) => c.name),
      ['LeakedSession'],
    );
    assert.equal(classes.rows[0].count, 2000);
    const leaks = JSON.parse((await get(url, `/api/leaks?token=${token}`)).body);
    assert.equal(leaks.clusters[0].constructor, 'LeakedSession');
    assert.equal((await get(url, `/api/object?token=${token}&id=4294967295`)).status, 404);
    assert.equal((await get(url, `/api/object?token=${token}&id=abc`)).status, 400);
  });
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.deepEqual(result.leftovers, []);
});

test('view: two snapshots give the per-class diff, sortable and filterable', async () => {
  const result = await withView([snaps.base, snaps.target], async (url) => {
    const token = url.searchParams.get('token')!;
    const page = JSON.parse((await get(url, `/api/diff?token=${token}&sort=newCount`)).body);
    const sessions = page.rows.find((r: { name: string }) => r.name === 'LeakedSession');
    assert.equal(sessions?.newCount, 2000);
    const counts = page.rows.map((r: { newCount: number }) => r.newCount);
    assert.deepEqual(
      counts,
      [...counts].sort((a, b) => b - a),
    );
    const temp = JSON.parse((await get(url, `/api/diff?token=${token}&filter=temprequest`)).body);
    assert.ok(temp.rows.every((r: { name: string }) => r.name === 'TempRequest'));
    assert.equal((await get(url, `/api/diff?token=${token}&sort=bogus`)).status, 400);
    assert.equal((await get(url, `/api/leaks?token=${token}`)).status, 404);
  });
  assert.equal(result.code, 0, result.stdout + result.stderr);
});

test('view: string values are shown by their shape unless --show-values', async () => {
  const values = async (extra: string[]): Promise<string[]> => {
    let names: string[] = [];
    await withView([snaps.final, ...extra], async (url) => {
      const token = url.searchParams.get('token')!;
      const page = JSON.parse((await get(url, `/api/instances?token=${token}&class=(string)&limit=50`)).body);
      names = page.rows.map((r: { name: string }) => r.name);
      // The largest 50 of thousands of strings, largest retained size first.
      assert.ok(page.total > 1000, String(page.total));
      assert.equal(page.rows.length, 50);
      const sizes = page.rows.map((r: { retainedSize: number }) => r.retainedSize);
      assert.deepEqual(
        sizes,
        [...sizes].sort((a, b) => b - a),
      );
      const all = JSON.parse((await get(url, `/api/instances?token=${token}&class=(string)&limit=1000`)).body);
      const top = all.rows.map((r: { retainedSize: number }) => r.retainedSize).sort((a: number, b: number) => b - a);
      assert.deepEqual(sizes, top.slice(0, 50));
    });
    return names;
  };
  const hidden = await values([]);
  assert.ok(hidden.length > 0);
  assert.ok(
    hidden.every((n) => /^string\(/.test(n)),
    hidden.join(' '),
  );
  const shown = await values(['--show-values']);
  assert.ok(
    shown.some((n) => n.startsWith('"')),
    shown.join(' '),
  );
});

test('view: usage errors are one line and exit 2', async () => {
  const missing = await runCli(['view', `${dir}/nope.heapsnapshot`, '--no-open']);
  assert.equal(missing.code, 2);
  assertOneLine(missing.stderr, /nope\.heapsnapshot: no such file/);
  const four = await runCli(['view', snaps.base, snaps.base, snaps.base, snaps.base, '--no-open']);
  assert.equal(four.code, 2);
  assertOneLine(four.stderr, /1 to 3 snapshots/);
  const help = await runCli(['view', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /127\.0\.0\.1/);
  assert.match(help.stdout, /--show-values/);
});
