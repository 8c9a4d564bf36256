#!/usr/bin/env node
/**
 * Regenerates docs/report.png from a REAL check run: the leaky (64 KB/s) and clean fixture probes, 8 s,
 * budget growthRate=16KB/s, then headless Chromium screenshots the report.html it wrote.
 *
 *   npm run build && node scripts/screenshot-report.mjs [--out docs/report.png] [--height 2600] [--keep]
 *
 * Needs Chromium at /usr/bin/chromium (or MEMPROBE_CHROMIUM). The browser runs in its own process group,
 * killed at the end.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    out: { type: 'string', default: join(root, 'docs', 'report.png') },
    height: { type: 'string', default: '2600' },
    width: { type: 'string', default: '1280' },
    duration: { type: 'string', default: '8s' },
    keep: { type: 'boolean', default: false },
  },
});

const browser = process.env.MEMPROBE_CHROMIUM ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((c) => existsSync(c));
if (!browser) {
  console.error('screenshot-report: no Chromium (apt-get install -y chromium, or set MEMPROBE_CHROMIUM)');
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), 'memprobe-screenshot-'));
const fixture = (name) => join(root, 'fixtures', 'probes', name);
writeFileSync(
  join(work, 'memprobe.config.mjs'),
  `export default ${JSON.stringify({
    suites: { leaks: [fixture('leaky.mjs')], steady: [fixture('clean.mjs')] },
    duration: values.duration,
    budgets: { growthRate: '16KB/s' },
    outDir: 'out',
  }, null, 2)};\n`,
);

const check = spawnSync(process.execPath, [join(root, 'bin', 'memprobe.js'), 'check', '--no-progress'], { cwd: work, encoding: 'utf8', timeout: 120_000 });
process.stdout.write(check.stdout);
if (check.status !== 0 && check.status !== 1) {
  console.error(`screenshot-report: memprobe check exited ${check.status}\n${check.stderr}`);
  process.exit(2);
}
const html = join(work, 'out', 'report.html');

function chromium(args, timeoutMs = 60_000) {
  const profile = mkdtempSync(join(tmpdir(), 'memprobe-chromium-'));
  const child = spawn(browser, [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--hide-scrollbars', `--user-data-dir=${profile}`, ...args, pathToFileURL(html).href,
  ], { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const killGroup = () => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const timer = setTimeout(killGroup, timeoutMs);
  return new Promise((done) => child.on('close', (code) => {
    clearTimeout(timer);
    killGroup();
    rmSync(profile, { recursive: true, force: true });
    done({ code, stderr });
  }));
}

const png = resolve(values.out);
const run = await chromium([`--screenshot=${png}`, `--window-size=${values.width},${values.height}`]);
if (!existsSync(png)) {
  console.error(`screenshot-report: no screenshot (chromium exited ${run.code})\n${run.stderr.slice(-2000)}`);
  process.exit(2);
}
console.log(`${png}: ${statSync(png).size} bytes from ${html}`);
if (values.keep) console.log(`kept ${work}`);
else rmSync(work, { recursive: true, force: true });
