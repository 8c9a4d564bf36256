#!/usr/bin/env node
/**
 * `memprobe view` on a big snapshot: time until the server prints its URL (read + analysis), time for
 * headless Chromium to show the first page (class table rendered), time to expand a dominator node from the
 * keyboard, the first retainer query (a breadth-first search of the whole heap) and a second one, and the
 * server's peak RSS beside `memprobe inspect`'s on the same file.
 *
 *   npx tsc -p . && node bench/view/run.mjs FILE.heapsnapshot [--browser /usr/bin/chromium]
 *   node bench/view/run.mjs BASE TARGET FINAL      the leak method: compared with `memprobe diff` instead
 *
 * Make the file with fixtures/heap/build-heap.mjs (bench/heap/README.md): `objects 210000` is ~95 MB.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openBrowser } from '../../dist/test/support/cdp-browser.js';

const BIN = fileURLToPath(new URL('../../bin/memprobe.js', import.meta.url));
const args = process.argv.slice(2);
const files = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--browser');
const file = files.at(-1);
const browserAt = args.indexOf('--browser');
const browser = browserAt >= 0 ? args[browserAt + 1] : '/usr/bin/chromium';
if (!file) {
  console.error('usage: node bench/view/run.mjs FILE.heapsnapshot [--browser PATH]');
  process.exit(2);
}

const mb = (kb) => `${Math.round(kb / 1024)} MB`;
const status = (pid) => readFileSync(`/proc/${pid}/status`, 'utf8');
const field = (text, name) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? NaN);

// inspect's (or diff's) peak RSS, by GNU time (its own process, nothing else in it).
const command = files.length === 1 ? ['inspect', file] : ['diff', ...files];
const inspect = spawnSync('/usr/bin/time', ['-f', '%M %e', process.execPath, BIN, ...command], { encoding: 'utf8' });
const [inspectKb, inspectS] = inspect.stderr.trim().split('\n').at(-1).split(' ').map(Number);

const started = performance.now();
const view = spawn(process.execPath, [BIN, 'view', ...files, '--no-open'], { stdio: ['ignore', 'pipe', 'inherit'] });
let out = '';
const url = await new Promise((resolve, reject) => {
  view.stdout.on('data', (d) => {
    out += d;
    const match = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(out);
    if (match) resolve(new URL(match[0]));
  });
  view.on('exit', (code) => reject(new Error(`view exited ${code}: ${out}`)));
});
const readyMs = performance.now() - started;
const page = await openBrowser(browser);
const figures = {};
try {
  let t = performance.now();
  await page.navigate(url.href);
  await page.waitFor(`document.querySelector('#classes tbody tr')`, 120_000);
  figures.firstPageMs = performance.now() - t;
  figures.largestClass = await page.evaluate(`document.querySelector('#classes tbody tr td').textContent`);

  await page.navigate(`${url.href}#/tree`);
  await page.waitFor(`document.querySelectorAll('#tree li[role=treeitem]').length > 1`, 120_000);
  // The root's largest child that has children of its own, expanded with the keyboard.
  const id = await page.evaluate(`(() => { const li = document.querySelector('#tree > li > ul > li[aria-expanded=false]');
    li.focus(); return li.dataset.id; })()`);
  t = performance.now();
  await page.press('ArrowRight');
  await page.waitFor(`document.querySelectorAll('li[data-id="${id}"] > ul > li').length > 0`, 120_000);
  figures.expandMs = performance.now() - t;

  const token = url.searchParams.get('token');
  const timed = async (path) => {
    const t0 = performance.now();
    const res = await fetch(`${url.origin}${path}`, { headers: { 'x-memprobe-token': token } });
    await res.arrayBuffer();
    return performance.now() - t0;
  };
  figures.rootChildrenMs = await timed('/api/children?limit=100');
  figures.firstRetainersMs = await timed(`/api/retainers?id=${id}`);
  figures.nextRetainersMs = await timed(`/api/retainers?id=${id}`);
  const s = status(view.pid);
  figures.viewPeakKb = field(s, 'VmHWM');
  figures.viewRssKb = field(s, 'VmRSS');
} finally {
  await page.close();
  view.kill('SIGINT');
}
const ms = (v) => `${Math.round(v)} ms`;
console.log(`files: ${files.join(' ')}`);
console.log(`| figure | value |\n| --- | --- |`);
console.log(`| view: URL printed (read + analysis) | ${ms(readyMs)} |`);
console.log(`| first page rendered in Chromium (largest class: ${figures.largestClass}) | ${ms(figures.firstPageMs)} |`);
console.log(`| expand a dominator node (ArrowRight to children shown) | ${ms(figures.expandMs)} |`);
console.log(`| /api/children of the root (100 rows) | ${ms(figures.rootChildrenMs)} |`);
console.log(`| first retainer query (whole-heap BFS) / next one | ${ms(figures.firstRetainersMs)} / ${ms(figures.nextRetainersMs)} |`);
console.log(`| view server peak RSS / RSS after the queries | ${mb(figures.viewPeakKb)} / ${mb(figures.viewRssKb)} |`);
console.log(`| ${command[0]}: wall time / peak RSS | ${inspectS} s / ${mb(inspectKb)} |`);
