import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderJunit } from '../../../src/report/junit.js';
import { checkReport, cleanProbe, HOSTILE_NAME, hostileReport, leakyProbe } from './sample-report.js';

interface XmlElement {
  readonly name: string;
  readonly attributes: Record<string, string>;
  readonly children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const decode = (s: string): string => s.replace(/&(amp|lt|gt|quot|apos|#\d+);/g, (_, e: string) => (e.startsWith('#') ? String.fromCodePoint(Number(e.slice(1))) : ENTITIES[e]!));

/** A strict little XML parser: throws on anything malformed (unbalanced tags, raw < or & in text, bad attributes). */
function parseXml(xml: string): XmlElement {
  let i = 0;
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack = [root];
  xml = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  while (i < xml.length) {
    const top = stack.at(-1)!;
    if (xml[i] !== '<') {
      const end = xml.indexOf('<', i);
      const raw = xml.slice(i, end < 0 ? xml.length : end);
      if (/&(?!(amp|lt|gt|quot|apos|#\d+);)/.test(raw) || raw.includes('>')) throw new Error(`unescaped text: ${raw.slice(0, 60)}`);
      top.text += decode(raw);
      i += raw.length;
      continue;
    }
    const close = /^<\/([\w.-]+)\s*>/.exec(xml.slice(i));
    if (close) {
      if (top.name !== close[1]) throw new Error(`</${close[1]}> closes <${top.name}>`);
      stack.pop();
      i += close[0].length;
      continue;
    }
    const open = /^<([\w.-]+)((?:\s+[\w.:-]+="[^"<]*")*)\s*(\/?)>/.exec(xml.slice(i));
    if (!open) throw new Error(`malformed tag at ${i}: ${xml.slice(i, i + 60)}`);
    const attributes: Record<string, string> = {};
    for (const m of open[2]!.matchAll(/([\w.:-]+)="([^"]*)"/g)) attributes[m[1]!] = decode(m[2]!);
    const element: XmlElement = { name: open[1]!, attributes, children: [], text: '' };
    top.children.push(element);
    if (open[3] !== '/') stack.push(element);
    i += open[0].length;
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack.at(-1)!.name}>`);
  assert.equal(root.children.length, 1);
  return root.children[0]!;
}

const all = (e: XmlElement, name: string): XmlElement[] => [...(e.name === name ? [e] : []), ...e.children.flatMap((c) => all(c, name))];

test('testsuites > testsuite > testcase per probe, with counts and times CI parsers read', () => {
  const xml = parseXml(renderJunit(checkReport([leakyProbe(), cleanProbe()])));
  assert.equal(xml.name, 'testsuites');
  assert.equal(xml.attributes.tests, '2');
  assert.equal(xml.attributes.failures, '1');
  assert.equal(xml.attributes.errors, '0');
  const [suite] = xml.children;
  assert.equal(suite?.name, 'testsuite');
  assert.equal(suite!.attributes.name, 'memprobe');
  assert.deepEqual([suite!.attributes.tests, suite!.attributes.failures, suite!.attributes.errors, suite!.attributes.skipped], ['2', '1', '0', '0']);
  assert.match(suite!.attributes.timestamp!, /^2026-11-21T12:00:00$/);
  const cases = suite!.children.filter((c) => c.name === 'testcase');
  assert.deepEqual(cases.map((c) => [c.attributes.name, c.attributes.classname]), [['leaky', 'memprobe.memprobe'], ['clean', 'memprobe.memprobe']]);
  for (const c of cases) assert.match(c.attributes.time!, /^\d+\.\d{3}$/);
  const properties = all(suite!, 'property');
  assert.ok(properties.some((p) => p.attributes.name === 'node' && p.attributes.value === 'v20.20.2'));
});

test('a broken growth budget is a <failure> with the measured rate and the limit', () => {
  const xml = parseXml(renderJunit(checkReport([leakyProbe(), cleanProbe()])));
  const [leaky, clean] = all(xml, 'testcase');
  const failures = all(leaky!, 'failure');
  assert.equal(failures.length, 1);
  assert.equal(failures[0]!.attributes.type, 'growthRate');
  assert.match(failures[0]!.attributes.message!, /^growthRate \(heap\): \+6\d\.\d KB\/s, budget at most 16\.0 KB\/s$/);
  assert.match(failures[0]!.text, /heap growth: \+6\d\.\d KB\/s \[\+\d+\.\d KB\/s, \+\d+\.\d KB\/s\]/);
  assert.equal(all(clean!, 'failure').length, 0);
  assert.match(all(leaky!, 'system-out')[0]!.text, /FAIL\s+leaky/);
});

test('suites become testsuites; a probe that cannot run is an <error>; hostile strings stay well-formed text', () => {
  const report = hostileReport();
  const text = renderJunit(report);
  assert.doesNotMatch(text, /[\u0000-\u0008]/);
  const xml = parseXml(text);
  const suites = all(xml, 'testsuite');
  assert.deepEqual(suites.map((s) => s.attributes.name), ['<suite onclick=alert(1)>', 'steady', 'memprobe', 'load']);
  // The config's load run is a testcase of its own, failing on its broken threshold.
  const [load] = all(suites[3]!, 'testcase');
  assert.equal(load?.attributes.name, 'load 1 (<i>closed</i>)');
  assert.equal(all(load!, 'failure')[0]?.attributes.message, 'p95<20ms: actual 34.0 ms');
  assert.equal(xml.attributes.errors, '1');
  const hostile = all(xml, 'testcase').find((c) => c.attributes.name === HOSTILE_NAME)!;
  assert.equal(hostile.attributes.classname, 'memprobe.<suite onclick=alert(1)>');
  assert.equal(all(hostile, 'failure').length, 1);
  const broken = all(xml, 'testcase').find((c) => c.attributes.name === 'setup & <teardown>')!;
  const [error] = all(broken, 'error');
  assert.equal(error?.attributes.type, 'setup');
  assert.match(error!.attributes.message!, /^setup: ECONNREFUSED <127\.0\.0\.1> & "quotes" ]]> \uFFFD control$/);
});

test('regressions fail the testcase only with failOnRegression', () => {
  const regression = {
    probe: 'clean', metric: 'heapGrowth' as const, worse: 'higher' as const, current: 30_000, status: 'regression' as const,
    previous: [], median: 500, mad: 100, threshold: 2548, currentCi: [25_000, 35_000] as const, previousCiHigh: 2000, reason: 'heap growth rose',
  };
  const history = (failOnRegression: boolean) => ({ file: '/h.jsonl', window: 10, earlierRuns: 10, failOnRegression, comparisons: [regression], appended: true });
  const lenient = parseXml(renderJunit(checkReport([cleanProbe()], { history: history(false) })));
  assert.equal(lenient.attributes.failures, '0');
  assert.match(all(lenient, 'system-out')[0]!.text, /regression: heap growth regressed/);
  const strict = parseXml(renderJunit(checkReport([cleanProbe()], { history: history(true) })));
  assert.equal(strict.attributes.failures, '1');
  assert.equal(all(strict, 'failure')[0]!.attributes.type, 'regression');
});

test('probes an interrupt stopped before they started are skipped testcases of their own suite', () => {
  const report = checkReport([leakyProbe()], {
    suites: { leaks: ['/repo/probes/leaky.mjs'], steady: ['/repo/probes/clean.mjs'] },
    extra: { interrupted: true, notRun: ['/repo/probes/clean.mjs', 'node server.js'] },
  });
  const xml = parseXml(renderJunit(report));
  assert.deepEqual([xml.attributes.tests, xml.attributes.skipped], ['3', '2']);
  const steady = xml.children.find((s) => s.attributes.name === 'steady')!;
  const [clean] = all(steady, 'testcase');
  assert.equal(clean?.attributes.name, 'clean');
  assert.equal(all(clean!, 'skipped')[0]?.attributes.message, 'not run: interrupted before it started');
  const program = all(xml, 'testcase').find((c) => c.attributes.name === 'node server.js');
  assert.equal(program?.attributes.classname, 'memprobe.memprobe');
});
