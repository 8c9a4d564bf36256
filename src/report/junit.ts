/**
 * junit.xml for CI widgets (GitHub, GitLab, Jenkins JUnit parsers): testsuites > testsuite (one per suite
 * that ran, else one named "memprobe") > testcase per probe, a <failure> per broken budget with its figures,
 * an <error> for a probe that could not run. Pure: report in, string out.
 */
import { basename } from 'node:path';
import type { Regression } from '../history/types.js';
import type { LoadReport } from '../load/types.js';
import { formatMetric, metricLabel } from '../core/metrics.js';
import type { ProbeReport } from '../types.js';
import type { CheckReport } from '../engine/check-report.js';
import { escapeXml as x } from './escape.js';
import { brokenBudgets, budgetFigures, growthText, perItemText, recoveryText } from './figures.js';
import { renderLoadText, thresholdValue } from './load-text.js';
import { renderProbe } from './text.js';
import { SCRIPT_EXTENSION } from '../constants.js';

const DEFAULT_SUITE = 'memprobe';

interface Outcome {
  readonly elements: string[];
  readonly kind: 'pass' | 'failure' | 'error' | 'skipped';
}

/** One testcase: its XML lines, its outcome and its time. */
interface Case {
  readonly lines: string[];
  readonly kind: Outcome['kind'];
  readonly ms: number;
}

/** The testsuite of a check's load runs (the config's `load`). */
const LOAD_SUITE = 'load';

const element = (tag: string, message: string, type: string, text: string): string =>
  `      <${tag} message="${x(message)}" type="${x(type)}">${x(text)}</${tag}>`;

/** A load run as a testcase: a failure per broken threshold (or the starvation, saturation, empty run). */
function loadCase(load: LoadReport, index: number): Case {
  const text = renderLoadText(load);
  const broken = load.thresholds.filter((t) => t.status === 'fail');
  let kind: Outcome['kind'] = 'pass';
  const elements: string[] = [];
  if (load.status === 'error') {
    kind = 'error';
    elements.push(element('error', load.fault ?? 'the load could not run', 'error', text));
  } else if (load.status === 'interrupted') {
    kind = 'skipped';
    elements.push('      <skipped message="interrupted: the figures cover the part of the run before Ctrl-C"/>');
  } else if (load.status === 'generator-saturated') {
    kind = 'failure';
    elements.push(
      element(
        'failure',
        `generator saturated: ${load.generator?.reasons.join('; ') ?? ''}`,
        'generator-saturated',
        text,
      ),
    );
  } else if (load.status === 'fail') {
    kind = 'failure';
    for (const t of broken)
      elements.push(
        element(
          'failure',
          `${t.threshold}: actual ${t.actual === null ? 'not measured' : thresholdValue(t, t.actual)}`,
          'threshold',
          text,
        ),
      );
    if (load.starvation?.status === 'fail')
      elements.push(element('failure', load.starvation.reason, 'starvation', text));
    if (elements.length === 0)
      elements.push(element('failure', 'nothing was measured (is the server answering?)', 'nothing-measured', text));
  }
  const ms = load.steps.reduce((sum, step) => sum + step.durationMs, 0) || load.settings.durationMs;
  return {
    kind,
    ms,
    lines: [
      `    <testcase name="${x(`load ${index + 1} (${load.mode})`)}" classname="memprobe.${LOAD_SUITE}" time="` +
        `${seconds(ms)}">`,
      ...elements,
      `      <system-out>${x(text)}</system-out>`,
      '    </testcase>',
    ],
  };
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
  if (probe.verdict === 'error') {
    const fault = probe.fault;
    const message = fault ? `${fault.kind}: ${fault.message}` : 'the probe could not run';
    return { kind: 'error', elements: [element('error', message, fault?.kind ?? 'error', fault?.stack ?? message)] };
  }
  if (probe.fault?.kind === 'interrupted' && probe.verdict !== 'fail') {
    return { kind: 'skipped', elements: [`      <skipped message="${x(`interrupted: ${probe.fault.message}`)}"/>`] };
  }
  const elements: string[] = [];
  if (probe.leak?.status === 'leak')
    elements.push(element('failure', `leak: ${probe.leak.reason}`, 'leak', figuresText(probe)));
  for (const budget of brokenBudgets(probe)) {
    elements.push(
      element(
        'failure',
        budgetFigures(budget),
        budget.name,
        `${budgetFigures(budget)}\n${budget.reason}\n\n${figuresText(probe)}`,
      ),
    );
  }
  if (probe.verdict === 'fail' && elements.length === 0) {
    elements.push(
      element('failure', probe.fault?.message ?? 'failed', probe.fault?.kind ?? 'fail', figuresText(probe)),
    );
  }
  if (probe.verdict === 'inconclusive') {
    const why = probe.budgets.filter((b) => b.status === 'inconclusive').map((b) => `${b.name}: ${b.reason}`);
    elements.push(
      element(
        'failure',
        `no verdict: ${why[0] ?? 'too few samples'}`,
        'inconclusive',
        [...why, '', figuresText(probe)].join('\n'),
      ),
    );
  }
  if (failOnRegression) {
    for (const r of regressions) elements.push(element('failure', regressionText(r), 'regression', r.reason));
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
  // A program's command, or a probe file.
  const name = /\s/.test(file) ? file : basename(file).replace(SCRIPT_EXTENSION, '');
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
    ['memprobe.version', s.memprobe],
    ['node', s.node],
    ['os', s.os],
    ['cpu', `${s.cpu.model} (${s.cpu.cores} cores)`],
    ...(report.commit ? [['commit', report.commit]] : []),
    ['verdict', report.verdict],
    ['interrupted', String(report.interrupted)],
  ].map(([name, value]) => `      <property name="${x(name!)}" value="${x(value!)}"/>`);
  const suites: Array<{ name: string; cases: Case[] }> = [];
  for (const [suite, probes] of groups) {
    const cases = probes.map((probe): Case => {
      const regressions = (report.regressions ?? []).filter((r) => r.probe === probe.name);
      const result = outcome(probe, regressions, failOnRegression);
      const out = [...renderProbe(probe), ...regressions.map((r) => `    ! regression: ${regressionText(r)}`)].join(
        '\n',
      );
      return {
        kind: result.kind,
        ms: probe.durationMs,
        lines: [
          `    <testcase name="${x(probe.name)}" classname="${x(`memprobe.${suite}`)}" time="` +
            `${seconds(probe.durationMs)}" file="${x(probe.file)}">`,
          ...result.elements,
          `      <system-out>${x(out)}</system-out>`,
          '    </testcase>',
        ],
      };
    });
    for (const file of notRun.get(suite) ?? []) cases.push({ kind: 'skipped', ms: 0, lines: notRunCase(file, suite) });
    if (cases.length > 0) suites.push({ name: suite, cases });
  }
  const loads = (report.load ?? []).map(loadCase);
  if (loads.length > 0) suites.push({ name: LOAD_SUITE, cases: loads });
  const count = (cases: readonly Case[], kind: Case['kind']): number => cases.filter((c) => c.kind === kind).length;
  const attributes = (cases: readonly Case[]): string =>
    `tests="${cases.length}" failures="${count(cases, 'failure')}" errors="${count(cases, 'error')}" skipped="` +
    `${count(cases, 'skipped')}" time="${seconds(cases.reduce((ms, c) => ms + c.ms, 0))}" timestamp="` +
    `${x(timestamp)}"`;
  const all = suites.flatMap((suite) => suite.cases);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="memprobe check" ${attributes(all)}>`,
    ...suites.flatMap((suite) => [
      `  <testsuite name="${x(suite.name)}" ${attributes(suite.cases)}>`,
      '    <properties>',
      ...properties,
      '    </properties>',
      ...suite.cases.flatMap((c) => c.lines),
      '  </testsuite>',
    ]),
    '</testsuites>',
    '',
  ].join('\n');
}
