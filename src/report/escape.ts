/**
 * Escaping for every report format. Strings from probes, programs, config files and heap snapshots are
 * hostile until escaped: HTML and XML text and (always double-quoted) attributes, Markdown table cells.
 */

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** C0 controls other than tab and line breaks, and DEL: invisible or tofu on the page. */
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/** Safe in HTML text and in quoted attribute values; control characters become U+FFFD. */
export function escapeHtml(text: string): string {
  return text.replace(CONTROLS, '\uFFFD').replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** Characters XML 1.0 cannot hold at all (controls, lone surrogates, U+FFFE/U+FFFF). */
const NOT_XML = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Safe in XML text and quoted attributes; characters XML cannot carry become U+FFFD. */
export function escapeXml(text: string): string {
  return text.replace(NOT_XML, '\uFFFD').replace(/[&<>"']/g, (c) => (c === "'" ? '&apos;' : HTML_ESCAPES[c]!));
}

/**
 * Safe in one GitHub-flavoured Markdown table cell: no line break, no column break, no HTML (GitHub renders
 * inline HTML in summaries), no emphasis, code or link syntax.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_[\]|#~]/g, (c) => `\\${c}`)
    .replace(/[&<>]/g, (c) => HTML_ESCAPES[c]!);
}

/** Markup that is already safe: produced by `html` below, never from an outside string. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Marks our own markup (built from constants and numbers) as safe. Never pass an outside string. */
export const trusted = (markup: string): SafeHtml => new SafeHtml(markup);

function piece(value: unknown): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(piece).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

/**
 * Template tag: every interpolated value is escaped unless it is SafeHtml (arrays are joined), so
 * forgetting to escape is not possible. `html`<td>${probe.name}</td>`` is safe whatever the name holds.
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  for (const [index, value] of values.entries()) out += piece(value) + (strings[index + 1] ?? '');
  return new SafeHtml(out);
}
