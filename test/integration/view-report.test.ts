/**
 * `memprobe view` on a soak's output folder (a real soak with --snapshots): the report's chart and verdict, and
 * the leak method on the probe's snapshots. Apart from view-cli.test.ts because the soak takes ~10 s.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fixture, runCli, tempDir } from '../support/cli.js';
import { withView } from '../support/view-server.js';

const dir = tempDir();
after(() => rmSync(dir, { recursive: true, force: true }));

function get(url: URL, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: url.port, path }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('view: a soak output folder gives its report (chart, clusters) and the leak method on its snapshots', async () => {
  const out = join(dir, 'soak');
  const soak = await runCli(['soak', fixture('leaks-sessions.mjs'), '--duration', '6s', '--budget', 'growthRate=16KB/s', '--snapshots', '--out', out, '--json', join(out, 'report.json'), '--no-progress']);
  assert.equal(soak.code, 1, soak.stdout + soak.stderr);
  const result = await withView([out], async (url) => {
    const token = url.searchParams.get('token')!;
    const session = JSON.parse((await get(url, `/api/session?token=${token}`)).body);
    assert.equal(session.mode, 'report');
    assert.equal(session.report.explored, 'leaks-sessions');
    const report = JSON.parse((await get(url, `/api/report?token=${token}`)).body);
    const written = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    assert.equal(report.probes[0].verdict, written.probes[0].verdict);
    assert.match(report.probes[0].chartHtml, /Post-GC heap over time[\s\S]*<polyline class="ln ln-heap" points="\d/);
    const leaks = JSON.parse((await get(url, `/api/leaks?token=${token}`)).body);
    assert.equal(leaks.clusters[0].constructor, 'LeakedSession');
    const id = leaks.clusters[0].sampleIds[0];
    const retainers = JSON.parse((await get(url, `/api/retainers?token=${token}&id=${id}`)).body);
    assert.ok(retainers.path.some((s: { label: string }) => s.label.startsWith('sessionCache (Map)')), JSON.stringify(retainers.path));
  });
  assert.equal(result.code, 0, result.stdout + result.stderr);
});
