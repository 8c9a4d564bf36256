import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeHtml, html, trusted } from '../../../src/report/escape.js';
import { renderHtml } from '../../../src/report/html.js';
import { axisTicks, clipSegment, niceTicks } from '../../../src/report/svg-chart.js';
import { checkReport, cleanProbe, HOSTILE_NAME, HOSTILE_PATH_STEP, hostileReport, leakyProbe } from './sample-report.js';

test('escaping: text and attribute contexts; the template tag escapes every value unless marked trusted', () => {
  assert.equal(escapeHtml(`<a href="x" title='y'>&</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  const name = '"><script>alert(1)</script>';
  assert.equal(html`<td title="${name}">${name}</td>`.value, '<td title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</td>');
  assert.equal(html`<p>${[html`<b>${'<i>'}</b>`, '<u>']}${null}${false}${trusted('<br>')}</p>`.value, '<p><b>&lt;i&gt;</b>&lt;u&gt;<br></p>');
});

test('chart helpers: round ticks, byte axes in the unit of the values, clipped lines', () => {
  assert.deepEqual(niceTicks(0, 10, 5), [0, 2, 4, 6, 8, 10]);
  assert.deepEqual(niceTicks(3.56, 3.81, 5), [3.55, 3.6, 3.65, 3.7, 3.75, 3.8, 3.85]);
  const mb = 1024 * 1024;
  const axis = axisTicks(3.56 * mb, 3.81 * mb, 5, { kind: 'bytes' });
  assert.deepEqual(axis.ticks.map(axis.format), ['3.55 MB', '3.60 MB', '3.65 MB', '3.70 MB', '3.75 MB', '3.80 MB', '3.85 MB']);
  const fine = axisTicks(1_908_000, 1_908_400, 4, { kind: 'bytes' });
  assert.ok(new Set(fine.ticks.map(fine.format)).size === fine.ticks.length, 'labels distinct on a tiny range');
  assert.deepEqual(clipSegment({ x: 0, y: 0 }, { x: 10, y: 20 }, { x0: 0, x1: 10, y0: 0, y1: 10 }), [{ x: 0, y: 0 }, { x: 5, y: 10 }]);
  assert.equal(clipSegment({ x: 0, y: 20 }, { x: 10, y: 30 }, { x0: 0, x1: 10, y0: 0, y1: 10 }), null);
});

test('a self-contained page: CSP, inline style, SVG charts with fitted and budget lines, no script, no external asset', () => {
  const page = renderHtml(checkReport([leakyProbe(), cleanProbe()]));
  assert.match(page, /^<!DOCTYPE html>/);
  assert.match(page, /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;; img-src data:/);
  assert.doesNotMatch(page, /<script|<link|@import|<img|<iframe/i);
  assert.doesNotMatch(page, /(src|href)\s*=\s*["']?(https?:)?\/\//i);
  assert.doesNotMatch(page, /url\(\s*["']?(https?:)?\/\//i);
  assert.equal((page.match(/<svg class="plot"/g) ?? []).length, 4 + 3); // heap + external per probe; growth, per-item, GC share overview
  assert.equal((page.match(/class="ln ln-fit"/g) ?? []).length >= 2, true);
  assert.equal((page.match(/class="ln ln-budget"/g) ?? []).length >= 2, true);
  assert.match(page, /<title>memprobe check · FAIL · 2 probes<\/title>/);
  assert.match(page, /growthRate \(heap\): \+6\d\.\d KB\/s, budget at most 16\.0 KB\/s/);
  assert.match(page, /Test CPU @ 2\.80GHz × 2/);
});

test('hostile strings from probes, configs and heap snapshots are text, never markup', () => {
  const page = renderHtml(hostileReport());
  assert.doesNotMatch(page, /<img|<script|<svg onload|<b onmouseover|<i>|<suite/i);
  assert.ok(page.includes(escapeHtml(HOSTILE_NAME)));
  assert.ok(page.includes(escapeHtml(HOSTILE_PATH_STEP)));
  assert.ok(page.includes('&lt;svg onload=alert(1)&gt;'));
  assert.ok(page.includes('[] (Session&#39;&quot;)'));
  // A leak cluster's samples are strings from the heap (keys, values): shown, escaped.
  assert.ok(page.includes('e.g. &quot;&lt;script&gt;alert(2)&lt;/script&gt;&quot;:'), 'the sample is rendered as text');
  assert.ok(page.includes('/repo/&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;.mjs'));
  // Leak clusters, the load section (latency percentiles and users/latency) and the error probe are rendered.
  assert.match(page, /<h3>Leak clusters<\/h3>/);
  assert.match(page, /Latency histogram \(requests per bucket\)/);
  assert.match(page, /Latency by concurrent users/);
  assert.match(page, /<strong>setup<\/strong>: ECONNREFUSED &lt;127\.0\.0\.1&gt; &amp; &quot;quotes&quot;/);
});

test('unknown shapes in the optional fields are ignored, not trusted', () => {
  const base = checkReport([cleanProbe()]);
  const odd = { ...base, load: { steps: 'many', latency: { p50: '<b>' } }, probes: [{ ...base.probes[0]!, leakClusters: [{ constructor: 1 }, 'x', null] }] };
  // A report file read back from disk may hold anything: the renderer must not trust its shapes.
  const page = renderHtml(odd as unknown as Parameters<typeof renderHtml>[0]);
  assert.doesNotMatch(page, /Leak clusters|id="load"/);
});

test('a failed probe whose snapshots gave no leak cluster says what grew instead', () => {
  const base = checkReport([cleanProbe()]);
  const grown = { heapDelta: 400 * 1024, newAndAliveSize: 390 * 1024, grew: [{ name: '(compiled code)', countDelta: 615, sizeDelta: 164 * 1024 }] };
  const page = renderHtml({ ...base, probes: [{ ...base.probes[0]!, leakClusters: [], snapshotGrowth: grown }] });
  assert.match(page, /<h3>Leak clusters<\/h3><p class="muted">leaked objects: no leak cluster found, but objects new mid-soak/);
  assert.match(page, /grew most from baseline to final snapshot: \(compiled code\) \+615 \(\+164\.0 KB\)/);
});
