import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderMarkdown } from '../../../src/report/markdown.js';
import { escapeMarkdown } from '../../../src/report/escape.js';
import { checkReport, cleanProbe, hostileReport, leakyProbe } from './sample-report.js';

/** The cells of a Markdown table row, splitting on unescaped pipes. */
const cells = (row: string): string[] => row.slice(1, -1).split(/(?<!\\)\|/).map((c) => c.trim());

test('a compact table: one row per probe with verdict, growth with CI, per item, GC recovery and broken budgets', () => {
  const md = renderMarkdown(checkReport([leakyProbe(), cleanProbe()]));
  const lines = md.split('\n');
  assert.match(lines[0]!, /^## ❌ memprobe check: FAIL$/);
  assert.match(md, /2 probes · 20 s · node v20\.20\.2 · Linux 6\.1\.0 · Test CPU @ 2\.80GHz × 2 · commit `0123456789ab`/);
  const table = lines.filter((l) => l.startsWith('|'));
  assert.equal(table.length, 4);
  assert.deepEqual(cells(table[0]!), ['probe', 'verdict', 'heap growth (95% CI)', 'external growth (95% CI)', 'per item', 'GC recovery', 'it/s', 'peak RSS', 'leak / broken budgets']);
  assert.match(table[1]!, /^\| :--- \| :--- \| ---: /);
  const leaky = cells(table[2]!);
  assert.equal(leaky.length, 9);
  assert.equal(leaky[0], 'leaky');
  assert.equal(leaky[1], '❌ fail');
  assert.match(leaky[2]!, /^\+6\d\.\d KB\/s \\\[\+\d+\.\d KB\/s, \+\d+\.\d KB\/s\\\]$/);
  assert.match(leaky[4]!, /^\d+(\.\d)? (B|KB)$/);
  assert.match(leaky[8]!, /^growthRate \(heap\): \+6\d\.\d KB\/s, budget at most 16\.0 KB\/s$/);
  const clean = cells(table[3]!);
  assert.equal(clean[1], '✅ pass');
  assert.equal(clean[5], '-'); // grew less than 1 MB: recovery is not judged
  assert.equal(clean[8], '-');
});

test('regressions get their own table; without history there is no history line', () => {
  assert.doesNotMatch(renderMarkdown(checkReport([cleanProbe()])), /history/);
  const regression = {
    probe: 'clean', metric: 'heapGrowth' as const, worse: 'higher' as const, current: 30 * 1024, status: 'regression' as const,
    previous: [1, 2, 3].map((v) => ({ timestamp: 't', commit: null, value: v })), median: 500, mad: 100, threshold: 2548,
    currentCi: null, previousCiHigh: null, reason: 'r',
  };
  const md = renderMarkdown(checkReport([cleanProbe()], { history: { file: 'h', window: 10, earlierRuns: 3, failOnRegression: false, comparisons: [regression], appended: true } }));
  assert.match(md, /### ⚠️ 1 regression against the history \(budgets decide the verdict\)/);
  assert.match(md, /\| clean \| heap growth \| \+30\.0 KB\/s \| \+500 B\/s \(3\) \| \+2\.5 KB\/s \|/);
});

test('hostile names cannot break the table or inject HTML', () => {
  assert.equal(escapeMarkdown('a|b\nc <img src=x> `x` *y* [z](u)'), 'a\\|b c &lt;img src=x&gt; \\`x\\` \\*y\\* \\[z\\](u)');
  const md = renderMarkdown(hostileReport());
  assert.doesNotMatch(md, /<img|<script|<svg|<b /);
  const rows = md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| probe') && !l.startsWith('| :'));
  for (const row of rows) assert.equal(cells(row).length, 9, row);
  assert.ok(rows.some((r) => r.startsWith('| &lt;img src=x onerror=alert(1)&gt; |')));
  assert.match(md, /setup: ECONNREFUSED &lt;127\.0\.0\.1&gt; &amp; "quotes" \\\]\\\]&gt;/);
});
