#!/usr/bin/env node
/**
 * False-alarm check of the three-snapshot leak method on a Node HTTP server with no leak (and, for contrast,
 * the same server keeping every request in a Map). Per run: a server on 127.0.0.1 takes 200 loopback
 * requests, snapshot BASE, 2000 more, snapshot TARGET, 500 more, snapshot FINAL; then `memprobe diff` on the
 * three. A clean server must exit 0 every run; the leaky one exit 1.
 *
 *   npx tsc -p . && node bench/heap/clean-server-diff.mjs [--runs 6]
 *
 * Snapshots go to a temporary folder that is deleted at the end.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const at = process.argv.indexOf('--runs');
const runs = at === -1 ? 6 : Number(process.argv[at + 1]);

// The server and its traffic, run in a child of its own: argv = [dir, 'clean' | 'leak'].
const SERVER = `
import { writeHeapSnapshot } from 'node:v8';
import http from 'node:http';
import { join } from 'node:path';
const [dir, kind] = process.argv.slice(1);
const kept = new Map();
const server = http.createServer((req, res) => { if (kind === 'leak') kept.set(Math.random(), { url: req.url, headers: req.headers }); res.end('ok'); });
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const agent = new http.Agent({ keepAlive: false });
const load = async (n) => {
  for (let i = 0; i < n; i++) {
    await new Promise((resolve, reject) => http.get({ port: server.address().port, host: '127.0.0.1', path: '/x' + i, agent }, (res) => { res.resume(); res.on('end', resolve); }).on('error', reject));
  }
};
await load(200);
writeHeapSnapshot(join(dir, 'base.heapsnapshot'));
await load(2000);
writeHeapSnapshot(join(dir, 'target.heapsnapshot'));
await load(500);
await new Promise((resolve) => setTimeout(resolve, 200));
writeHeapSnapshot(join(dir, 'final.heapsnapshot'));
server.close();
`;

const dir = mkdtempSync(join(tmpdir(), 'memprobe-noise-'));
try {
  const rows = [];
  for (const kind of ['clean', 'leak']) {
    const codes = [];
    for (let run = 0; run < runs; run++) {
      spawnSync(process.execPath, ['--input-type=module', '-e', SERVER, dir, kind], { stdio: 'inherit' });
      const files = ['base', 'target', 'final'].map((name) => join(dir, `${name}.heapsnapshot`));
      codes.push(spawnSync(process.execPath, [join(ROOT, 'bin', 'memprobe.js'), 'diff', ...files], { stdio: 'ignore' }).status);
    }
    const expected = kind === 'clean' ? 0 : 1;
    rows.push(`| ${kind} | ${codes.join(' ')} | ${codes.filter((c) => c === expected).length}/${runs} as expected (exit ${expected}) |`);
  }
  console.log(['| server | `memprobe diff` exit codes | result |', '| --- | --- | --- |', ...rows].join('\n'));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
