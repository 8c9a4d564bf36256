/**
 * The report formats a check writes, as a registry: a name, the file it goes to, and a pure renderer.
 * Adding a format: one renderer file in this folder and one line here.
 */
import { join } from 'node:path';
import { CHECK_REPORT_FILE } from '../constants.js';
import type { CheckReport } from '../engine/check-report.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';

export interface ReportFormat<Report> {
  readonly name: string;
  readonly file: string;
  readonly render: (report: Report) => string;
}

export const CHECK_FORMATS: ReadonlyArray<ReportFormat<CheckReport>> = [
  { name: 'json', file: CHECK_REPORT_FILE, render: renderJson },
  { name: 'junit', file: 'junit.xml', render: renderJunit },
  { name: 'markdown', file: 'summary.md', render: renderMarkdown },
  { name: 'html', file: 'report.html', render: renderHtml },
];

/** Renders every format into `dir` through `write` (the caller's file writer); returns the file names. */
export function writeFormats<Report>(
  dir: string,
  formats: ReadonlyArray<ReportFormat<Report>>,
  report: Report,
  write: (path: string, content: string) => unknown,
): string[] {
  for (const format of formats) write(join(dir, format.file), format.render(report));
  return formats.map((f) => f.file);
}
