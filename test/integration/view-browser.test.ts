/**
 * `memprobe view` in a real headless Chromium (Debian's package; skipped with a message when absent), driven over
 * the DevTools protocol by memprobe's own CDP client: on three snapshots of one process, the page loads with the
 * largest class first (as `memprobe inspect` ranks it), a dominator node expands from the keyboard, an object's
 * retainer path reaches the global Map that holds it, the leak cluster is listed, and a request without the
 * token is refused. MEMPROBE_VIEW_SCREENSHOT=file.png also writes a screenshot of the leak cluster's object.
 * A soak folder shows its heap chart, and a check folder with history its trend against the earlier runs.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { InspectReport } from '../../src/heap/inspect.js';
import { openBrowser } from '../support/cdp-browser.js';
import { CHROMIUM_MISSING, findChromium } from '../support/chromium.js';
import { fixture, runCli, tempDir } from '../support/cli.js';
import { writeThreeSnapshots, type ThreeSnapshots } from '../support/heap-fixtures.js';
import { withView } from '../support/view-server.js';
import { earlierNights } from '../support/history.js';

const browser = findChromium();
const dir = tempDir();
let snaps: ThreeSnapshots;
before(() => {
  if (browser) snaps = writeThreeSnapshots(dir, 5000, 5000);
});
after(() => rmSync(dir, { recursive: true, force: true }));

const text = (selector: string): string => `document.querySelector(${JSON.stringify(selector)})?.textContent ?? ''`;

test(
  'view in Chromium: largest class, dominator expansion, retainer path, leak cluster, token refused',
  { skip: browser ? false : CHROMIUM_MISSING },
  async () => {
    const json = join(dir, 'inspect.json');
    const inspected = await runCli(['inspect', snaps.final, '--json', json]);
    assert.equal(inspected.code, 0, inspected.stderr);
    const largest = (JSON.parse(readFileSync(json, 'utf8')) as InspectReport).constructors[0]!.name;

    const page = await openBrowser(browser!);
    try {
      const result = await withView([snaps.base, snaps.target, snaps.final], async (url) => {
        // Without the token: the browser gets a 403 and no page.
        const bare = `${url.origin}/`;
        await page.navigate(bare);
        const refused = await page.evaluate<string>('document.body.innerText');
        assert.match(refused, /missing or wrong token/);

        await page.navigate(url.href);
        const firstClass = await page.waitFor<string>(`(${text('#classes tbody tr td')}) || ''`);
        assert.equal(firstClass, largest);
        const sessions = await page.evaluate<string>(
          `[...document.querySelectorAll('#classes tbody tr')].find((r) => r.cells[0].textContent === 'LeakedSession')?.cells[1].textContent`,
        );
        assert.equal(sessions, '5,000');

        // Dominator tree: the root opens expanded; the first collapsed child expands on ArrowRight.
        await page.navigate(`${url.href}#/tree`);
        await page.waitFor(`document.querySelectorAll('#tree li[role=treeitem]').length > 1`);
        const id = await page.evaluate<string>(`(() => {
        const item = document.querySelector('#tree > li > ul > li[aria-expanded=false]');
        item.focus();
        return item.dataset.id;
      })()`);
        assert.equal(await page.evaluate(`document.querySelectorAll('li[data-id="${id}"] > ul > li').length`), 0);
        await page.press('ArrowRight');
        const children = await page.waitFor<number>(
          `document.querySelectorAll('li[data-id="${id}"] > ul > li').length`,
        );
        assert.ok(children > 0);
        assert.equal(
          await page.evaluate(`document.querySelector('li[data-id="${id}"]').getAttribute('aria-expanded')`),
          'true',
        );

        // Leak clusters, then a member's retainer path (Enter opens the cluster's largest member).
        await page.navigate(`${url.href}#/leaks`);
        const cluster = await page.waitFor<string>(text('.cluster'));
        assert.match(cluster, /LeakedSession ×5,000/);
        assert.match(cluster, /__sessionCache \(Map\)/);
        // The members are links named by their id (not the raw URL of an element turned into text).
        const members = await page.evaluate<string[]>(
          `[...document.querySelectorAll('.cluster a')].map((a) => a.textContent)`,
        );
        assert.ok(members.length > 0 && members.every((m) => /^@\d+$/.test(m)), members.join(' '));
        await page.evaluate(`document.querySelector('.cluster').focus()`);
        await page.press('Enter');
        const path = await page.waitFor<string[]>(
          `(() => { const li = [...document.querySelectorAll('#retainer-path li')]; return li.length ? li.map((l) => l.textContent) : null; })()`,
        );
        assert.match(path[0]!, /^global /);
        assert.ok(
          path.some((step) => step.startsWith('__sessionCache (Map)')),
          path.join(' | '),
        );
        assert.match(path.at(-1)!, /\(LeakedSession\)/);
        const hash = await page.evaluate<string>('location.hash');
        assert.match(hash, /^#\/object\/@\d+$/);

        // A shared link to the object in the tree opens the tree down to it, with the object focused.
        const member = hash.slice('#/object/@'.length);
        await page.navigate(`${url.href}#/tree/@${member}`);
        const focused = await page.waitFor<string>(
          `document.activeElement?.dataset?.id === '${member}' && document.activeElement.textContent`,
        );
        assert.match(focused, new RegExp(`^[▸▾ ]*LeakedSession @${member}`));

        const shot = process.env.MEMPROBE_VIEW_SCREENSHOT;
        if (shot) writeFileSync(shot, await page.screenshot(1100, 760));
      });
      assert.equal(result.code, 0, result.stdout + result.stderr);
      assert.deepEqual(result.leftovers, []);
    } finally {
      await page.close();
    }
  },
);

test(
  'view in Chromium: a soak folder shows its heap chart (inline SVG under the CSP) and the leak clusters of its snapshots',
  { skip: browser ? false : CHROMIUM_MISSING },
  async () => {
    const out = join(dir, 'soak');
    const soak = await runCli([
      'soak',
      fixture('leaks-sessions.mjs'),
      '--duration',
      '6s',
      '--budget',
      'growthRate=16KB/s',
      '--snapshots',
      '--out',
      out,
      '--json',
      join(out, 'report.json'),
      '--no-progress',
    ]);
    assert.equal(soak.code, 1, soak.stdout + soak.stderr);
    const page = await openBrowser(browser!);
    try {
      const result = await withView([out], async (url) => {
        await page.navigate(`${url.href}#/report`);
        const probe = await page.waitFor<string>(text('#report .card h3'));
        assert.match(probe, /^leaks-sessions /);
        // Drawn, not only present: the polyline has a size on screen.
        const width = await page.waitFor<number>(
          `document.querySelector('#report svg.plot polyline.ln-heap')?.getBoundingClientRect().width`,
        );
        assert.ok(width > 100, String(width));
        assert.match(await page.waitFor<string>(text('#report .card .cluster')), /LeakedSession ×\d/);
        await page.navigate(`${url.href}#/leaks`);
        assert.match(await page.waitFor<string>(text('.cluster')), /LeakedSession ×\d/);
      });
      assert.equal(result.code, 0, result.stdout + result.stderr);
    } finally {
      await page.close();
    }
  },
);

test(
  "view in Chromium: a check folder with history draws each metric's trend over the earlier runs",
  { skip: browser ? false : CHROMIUM_MISSING },
  async () => {
    const project = join(dir, 'nightly');
    mkdirSync(project);
    const config = {
      suites: { leaks: [fixture('leaky.mjs')] },
      duration: '3s',
      warmup: '400ms',
      interval: '200ms',
      budgets: { growthRate: '32KB/s' },
      outDir: 'out',
    };
    writeFileSync(join(project, 'memprobe.config.mjs'), `export default ${JSON.stringify(config)};\n`);
    writeFileSync(join(project, 'history.jsonl'), earlierNights(4, 3000));
    const check = await runCli(['check', '--history', 'history.jsonl'], { cwd: project });
    assert.equal(check.code, 1, check.stdout + check.stderr);
    const page = await openBrowser(browser!);
    try {
      const result = await withView([join(project, 'out')], async (url) => {
        await page.navigate(`${url.href}#/report`);
        const trend = `document.querySelector('#report .card svg.spark[aria-label^="leaky heap growth"]')`;
        assert.match(await page.waitFor<string>(`${trend}?.getAttribute('aria-label')`), /over 5 runs/);
        // Drawn, not only present: the line has a size on screen, through the four earlier runs and this one,
        // which is marked as the regression it is.
        const width = await page.waitFor<number>(
          `${trend}?.querySelector('polyline.ln-trend').getBoundingClientRect().width`,
        );
        assert.ok(width > 100, String(width));
        const points = await page.evaluate<number>(`${trend}.querySelector('polyline.ln-trend').points.numberOfItems`);
        assert.equal(points, 5);
        assert.equal(await page.evaluate<number>(`${trend}.querySelectorAll('circle.dot-regression').length`), 1);
      });
      assert.equal(result.code, 0, result.stdout + result.stderr);
    } finally {
      await page.close();
    }
  },
);
