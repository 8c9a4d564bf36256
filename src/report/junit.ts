/**
 * junit.xml for CI widgets (GitHub, GitLab, Jenkins JUnit parsers): testsuites > testsuite (one per suite
 * that ran, else one named "memprobe") > testcase per probe, a <failure> per broken budget with its figures,
 * an <error> for a probe that could not run. Pure: report in, string out.
 */
import { basename } from 'node:path';
import type { Regression } from '../history/types.js';
import { formatMetric, metricLabel } from '../history/regressions.js';
import type { ProbeReport } from '../types.js';
import type { CheckReport } from './check-report.js';
import { escapeXml as x } from './escape.js';
import { brokenBudgets, budgetFigures, growthText, perItemText, recoveryText } from './figures.js';
import { renderProbe } from './text.js';

const DEFAULT_SUITE = 'memprobe';

interface Outcome {
  readonly elements: string[];
  readonly kind: 'pass' | 'failure' | 'error' | 'skipped';
}

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

function figuresText(probe: ProbeReport): string {
  return [
    `heap growth: ${growthText(probe.growth)}`,
    `external growth: ${growthText(probe.externalGrowth)}`,
    `per item: ${perItemText(probe)}`,
    `GC recovery: ${recoveryText(probe)}`,
  ].join('\n');
}

function regressionText(r: Regression): string {
  return `${metricLabel(r.metric)} regressed: ${formatMetric(r.metric, r.current)} (${r.reason})`;
}

function outcome(probe: ProbeReport, regressions: readonly Regression[], failOnRegression: boolean): Outcome {
  const el = (tag: string, message: string, type: string, text: string): string =>
    `      <${tag} message="${x(message)}" type="${x(type)}">${x(text)}</${tag}>`;
  if (probe.verdict === 'error') {
    const fault = probe.fault;
    const message = fault ? `${fault.kind}: ${fault.message}` : 'the probe could not run';
    return { kind: 'error', elements: [el('error', message, fault?.kind ?? 'error', fault?.stack ?? message)] };
  }
  if (probe.fault?.kind === 'interrupted' && probe.verdict !== 'fail') {
    return { kind: 'skipped', elements: [`      <skipped message="${x(`interrupted: ${probe.fault.message}`)}"/>`] };
  }
  const elements: string[] = [];
  for (const budget of brokenBudgets(probe)) {
    elements.push(el('failure', budgetFigures(budget), budget.name, `${budgetFigures(budget)}\n${budget.reason}\n\n${figuresText(probe)}`));
  }
  if (probe.verdict === 'fail' && elements.length === 0) {
    elements.push(el('failure', probe.fault?.message ?? 'failed', probe.fault?.kind ?? 'fail', figuresText(probe)));
  }
  if (probe.verdict === 'inconclusive') {
    const why = probe.budgets.filter((b) => b.status === 'inconclusive').map((b) => `${b.name}: ${b.reason}`);
    elements.push(el('failure', `no verdict: ${why[0] ?? 'too few samples'}`, 'inconclusive', [...why, '', figuresText(probe)].join('\n')));
  }
  if (failOnRegression) {
    for (const r of regressions) elements.push(el('failure', regressionText(r), 'regression', r.reason));
  }
  return { kind: elements.length > 0 ? 'failure' : 'pass', elements };
}

function suiteOf(report: CheckReport): (file: string, name?: string) => string {
  const owner = new Map<string, string>();
  for (const [suite, files] of Object.entries(report.config.suites)) {
    for (const file of files) if (!owner.has(file)) owner.set(file, suite);
  }
  return (file, name) => owner.get(file) ?? (name === undefined ? undefined : owner.get(name)) ?? DEFAULT_SUITE;
}

/** A probe an interrupt stopped before it started: a skipped testcase named after its file. */
function notRunCase(file: string, suite: string): string[] {
  const name = /\s/.test(file) ? file : basename(file).replace(/\.[cm]?[jt]s$/, ''); // a program's command, or a probe file
  return [
    `    <testcase name="${x(name)}" classname="${x(`memprobe.${suite}`)}" time="0" file="${x(file)}">`,
    '      <skipped message="not run: interrupted before it started"/>',
    '    </testcase>',
  ];
}

export function renderJunit(report: CheckReport): string {
  const suiteFor = suiteOf(report);
  const failOnRegression = report.history?.failOnRegression ?? false;
  const groups = new Map<string, ProbeReport[]>();
  for (const suite of Object.keys(report.config.suites)) groups.set(suite, []);
  for (const probe of report.probes) {
    const suite = suiteFor(probe.file, probe.name);
    groups.set(suite, [...(groups.get(suite) ?? []), probe]);
  }
  const notRun = new Map<string, string[]>();
  for (const file of report.notRun) {
    const suite = suiteFor(file);
    if (!groups.has(suite)) groups.set(suite, []);
    notRun.set(suite, [...(notRun.get(suite) ?? []), file]);
  }
  const timestamp = report.startedAt.replace(/\.\d+Z$/, '');
  const s = report.system;
  const properties = [
    ['memprobe.version', s.memprobe], ['node', s.node], ['os', s.os], ['cpu', `${s.cpu.model} (${s.cpu.cores} cores)`],
    ...(report.commit ? [['commit', report.commit]] : []), ['verdict', report.verdict], ['interrupted', String(report.interrupted)],
  ].map(([name, value]) => `      <property name="${x(name!)}" value="${x(value!)}"/>`);
  const totals = { tests: 0, failures: 0, errors: 0, skipped: 0, ms: 0 };
  const suites: string[] = [];
  for (const [suite, probes] of groups) {
    const skippedFiles = notRun.get(suite) ?? [];
    if (probes.length + skippedFiles.length === 0) continue;
    const counts = { failures: 0, errors: 0, skipped: skippedFiles.length, ms: 0 };
    const cases: string[] = [];
    for (const probe of probes) {
      const regressions = (report.regressions ?? []).filter((r) => r.probe === probe.name);
      const result = outcome(probe, regressions, failOnRegression);
      if (result.kind === 'failure') counts.failures++;
      if (result.kind === 'error') counts.errors++;
      if (result.kind === 'skipped') counts.skipped++;
      counts.ms += probe.durationMs;
      const out = [...renderProbe(probe), ...regressions.map((r) => `    ! regression: ${regressionText(r)}`)].join('\n');
      cases.push(
        `    <testcase name="${x(probe.name)}" classname="${x(`memprobe.${suite}`)}" time="${seconds(probe.durationMs)}" file="${x(probe.file)}">`,
        ...result.elements,
        `      <system-out>${x(out)}</system-out>`,
        '    </testcase>',
      );
    }
    for (const file of skippedFiles) cases.push(...notRunCase(file, suite));
    suites.push(
      `  <testsuite name="${x(suite)}" tests="${probes.length + skippedFiles.length}" failures="${counts.failures}" errors="${counts.errors}" skipped="${counts.skipped}" time="${seconds(counts.ms)}" timestamp="${x(timestamp)}">`,
      '    <properties>',
      ...properties,
      '    </properties>',
      ...cases,
      '  </testsuite>',
    );
    totals.tests += probes.length + skippedFiles.length;
    totals.failures += counts.failures;
    totals.errors += counts.errors;
    totals.skipped += counts.skipped;
    totals.ms += counts.ms;
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="memprobe check" tests="${totals.tests}" failures="${totals.failures}" errors="${totals.errors}" skipped="${totals.skipped}" time="${seconds(totals.ms)}" timestamp="${x(timestamp)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
