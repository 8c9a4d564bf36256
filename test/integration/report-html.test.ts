/**
 * The HTML report in a real browser (headless Chromium): hostile strings render as text, nothing runs,
 * the SVG charts are there and the page is not blank. Skipped when Chromium is not installed.
 */
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { renderHtml } from '../../src/report/html.js';
import { CHROMIUM_MISSING, dumpDom, findChromium, pngSize, screenshot } from '../support/chromium.js';
import { tempDir } from '../support/cli.js';
import { hostileReport } from '../unit/report/sample-report.js';

const browser = findChromium();

test('headless Chromium renders hostile names as text, runs nothing, and draws the charts', { skip: browser ? false : CHROMIUM_MISSING, timeout: 120_000 }, async () => {
  const dir = tempDir();
  const page = join(dir, 'report.html');
  writeFileSync(page, renderHtml(hostileReport()));
  const dom = await dumpDom(browser!, page);

  // Parsed, not just served: the browser's own serialization of the DOM.
  assert.match(dom, /<h1>memprobe check <span class="badge error">error<\/span><\/h1>/);
  // Hostile strings are text nodes: escaped again on serialization, never elements.
  assert.ok(dom.includes('&lt;img src=x onerror=alert(1)&gt;'), 'the probe name is text');
  assert.ok(dom.includes('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;'), 'the retainer path step is text');
  assert.doesNotMatch(dom, /<img[\s>]/i);
  assert.doesNotMatch(dom, /<script[\s>]/i);
  assert.doesNotMatch(dom, /<[a-z]+[^>]*\son(error|load|click|mouseover)=/i);
  // An injected handler would have marked the body; nothing ran.
  assert.doesNotMatch(dom, /<body[^>]*data-pwned/);
  assert.match(dom, /<title>memprobe check · ERROR · 3 probes<\/title>/);
  // The charts are real SVG elements: memory over time per probe, overview bars, leak bars, load charts.
  const plots = dom.match(/<svg class="plot"/g) ?? [];
  assert.ok(plots.length >= 8, `only ${plots.length} charts`);
  assert.ok((dom.match(/<polyline /g) ?? []).length >= 6);
  assert.ok(dom.includes('class="ln ln-fit"') && dom.includes('class="ln ln-budget"'));

  const png = join(dir, 'report.png');
  await screenshot(browser!, page, png, 1280, 2000);
  const bytes = readFileSync(png);
  assert.deepEqual(pngSize(bytes), { width: 1280, height: 2000 });
  // A blank or single-colour page compresses to a few KB; text, tables and charts do not.
  assert.ok(statSync(png).size > 40 * 1024, `screenshot is only ${statSync(png).size} bytes`);
});
