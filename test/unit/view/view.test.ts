import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Phases } from '../../../src/core/phases.js';
import { findLeaks } from '../../../src/heap/leaks.js';
import { readHeapSnapshot, readNodeIds } from '../../../src/heap/reader.js';
import { DominatorChildren } from '../../../src/view/dominator-children.js';
import { readReport } from '../../../src/view/report-view.js';
import { refusal, tokenMatches } from '../../../src/view/server.js';
import { loadSession } from '../../../src/view/session.js';
import { maskSample, stringShape } from '../../../src/view/values.js';
import { checkReport, cleanProbe, hostileReport, leakyProbe } from '../report/sample-report.js';
import { writeThreeSnapshots } from '../../support/heap-fixtures.js';

test('samples: keys and string values become their shape, object references stay', () => {
  assert.equal(maskSample('"sess-4f9a2c1e…": "{\\"token\\":\\"abc\\"}"'), 'string(13+): string(15)');
  assert.equal(maskSample('"/api/users/17": Session @1234'), 'string(13): Session @1234');
  assert.equal(maskSample('LeakedSession @87859'), 'LeakedSession @87859');
  assert.equal(stringShape(''), 'string(0)');
});

test('dominator children: rows from idom, largest retained size first, ties by ordinal', () => {
  // 0 is the root; 1 and 2 hang from it, 3 and 4 from 1.
  const idom = Uint32Array.from([0, 0, 0, 1, 1]);
  const retained = Float64Array.from([100, 60, 40, 10, 50]);
  const children = new DominatorChildren(idom, 0);
  assert.deepEqual(
    [0, 1, 2, 3, 4].map((n) => children.count(n)),
    [2, 2, 0, 0, 0],
  );
  assert.deepEqual([...children.sorted(0, retained)], [1, 2]);
  assert.deepEqual([...children.sorted(1, retained)], [4, 3]);
  const tie = Float64Array.from([100, 60, 40, 7, 7]);
  assert.deepEqual([...new DominatorChildren(idom, 0).sorted(1, tie)], [3, 4]);
});

test('token: only the exact token matches, whatever its length', () => {
  assert.equal(tokenMatches('s3cret-token', 's3cret-token'), true);
  for (const wrong of ['s3cret-toke', 's3cret-tokenX', '', 'S3cret-token', undefined, null]) {
    assert.equal(tokenMatches('s3cret-token', wrong), false, String(wrong));
  }
});

test('refusal: method, Host (DNS rebinding), Origin and Sec-Fetch-Site', () => {
  const req = (method: string, headers: Record<string, string>): IncomingMessage =>
    ({ method, headers }) as unknown as IncomingMessage;
  const host = { host: '127.0.0.1:4000' };
  assert.equal(refusal(req('GET', host), 4000), null);
  assert.equal(refusal(req('GET', { host: 'localhost:4000', origin: 'http://localhost:4000' }), 4000), null);
  assert.equal(refusal(req('GET', { ...host, 'sec-fetch-site': 'same-origin' }), 4000), null);
  assert.match(refusal(req('POST', host), 4000)!, /GET/);
  assert.match(refusal(req('GET', { host: '127.0.0.1:4001' }), 4000)!, /Host/);
  assert.match(refusal(req('GET', { host: 'evil.example:4000' }), 4000)!, /Host/);
  assert.match(refusal(req('GET', {}), 4000)!, /Host/);
  assert.match(refusal(req('GET', { ...host, origin: 'http://evil.example' }), 4000)!, /origins/);
  assert.match(refusal(req('GET', { ...host, origin: 'null' }), 4000)!, /origins/);
  assert.match(refusal(req('GET', { ...host, 'sec-fetch-site': 'cross-site' }), 4000)!, /cross-site/);
});

test('report: heap chart and history trend from the HTML report builders, clusters masked', () => {
  const regression = {
    probe: 'leaky',
    metric: 'heapGrowth' as const,
    worse: 'higher' as const,
    current: 30 * 1024,
    status: 'regression' as const,
    previous: [1, 2, 3].map((v) => ({ timestamp: 't', commit: null, value: v })),
    median: 500,
    mad: 100,
    threshold: 2548,
    currentCi: null,
    previousCiHigh: null,
    reason: 'r',
  };
  const history = {
    file: 'h',
    window: 10,
    earlierRuns: 3,
    failOnRegression: false,
    comparisons: [regression],
    appended: true,
  };
  const leaky = {
    ...leakyProbe(),
    leakClusters: [
      {
        constructor: 'Session',
        count: 9,
        retainedSize: 900,
        path: ['global', 'm (Map)'],
        samples: ['"tok-123": "secret"'],
      },
    ],
  };
  const report = readReport('r.json', JSON.stringify(checkReport([leaky, cleanProbe()], { history })), false);
  assert.equal(report.kind, 'check');
  const [first, second] = report.probes;
  assert.match(first!.chartHtml, /^<figure|<svg/);
  assert.match(first!.chartHtml, /Post-GC heap over time/);
  assert.match(first!.historyHtml, /heap growth/);
  assert.match(first!.historyHtml, /<svg/);
  assert.equal(second!.historyHtml, '');
  assert.deepEqual(first!.clusters[0]!.samples, ['string(7): string(6)']);
  const shown = readReport('r.json', JSON.stringify(checkReport([leaky])), true);
  assert.deepEqual(shown.probes[0]!.clusters[0]!.samples, ['"tok-123": "secret"']);
});

test('report: hostile strings stay escaped; a malformed probe loses its chart, not the page; not a report is a usage error', () => {
  const hostile = readReport('r.json', JSON.stringify(hostileReport()), false);
  for (const probe of hostile.probes) assert.doesNotMatch(probe.chartHtml + probe.historyHtml, /<script|<img|onerror=/);
  const odd = readReport('r.json', JSON.stringify({ probes: [{ name: 'x', samples: 'nope' }, 7] }), false);
  assert.equal(odd.probes.length, 1);
  assert.equal(odd.probes[0]!.chartHtml, '');
  assert.throws(() => readReport('r.json', '{"kind":"check"}', false), /not a memprobe soak or check report/);
  assert.throws(() => readReport('r.json', '{', false), /not a JSON report/);
});

test("three snapshots: the view explores FINAL with the leak method's own analysis, computed once", () => {
  const dir = mkdtempSync(join(tmpdir(), 'memprobe-view-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const snaps = writeThreeSnapshots(dir, 300, 300);
  const phases = new Phases();
  const session = loadSession([snaps.base, snaps.target, snaps.final], {
    showValues: false,
    rules: 'devtools',
    phases,
  });
  const names = phases.records.map((p) => p.name);
  for (const once of ['owned sizes', 'dominators', 'classes', 'retainer paths', 'leak clusters']) {
    assert.equal(names.filter((n) => n === once).length, 1, `${once} in ${names.join(', ')}`);
  }
  // The same clusters as the diff command's, and the tree's root retains what the leak method measured.
  const alone = findLeaks({
    files: { base: snaps.base, target: snaps.target, final: snaps.final },
    baseIds: readNodeIds(snaps.base),
    targetIds: readNodeIds(snaps.target),
    final: readHeapSnapshot(snaps.final),
  });
  assert.deepEqual(session.leaks?.clusters, alone.clusters);
  assert.equal(session.leaks?.clusters[0]?.constructor, 'LeakedSession');
  const cluster = session.leaks!.clusters[0]!;
  const path = session.heap!.retainers(session.heap!.find(cluster.sampleIds[0]!)).path;
  assert.ok(
    path.some((step) => step.label.includes('__sessionCache')),
    JSON.stringify(path),
  );
});
