/**
 * The report page's stylesheet, inlined in a <style> element (the page loads nothing from anywhere).
 * System fonts only; chart colours by class (see svg-chart.ts).
 */
export const REPORT_CSS = `
:root { --ink: #0f172a; --muted: #64748b; --line: #e2e8f0; --card: #ffffff; --bg: #f8fafc;
  --pass: #15803d; --fail: #b91c1c; --inconclusive: #b45309; --error: #7e22ce; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1200px; margin: 0 auto; padding: 24px 24px 48px; }
h1 { font-size: 22px; margin: 0; display: flex; align-items: center; gap: 12px; }
h2 { font-size: 17px; margin: 28px 0 10px; }
h3 { font-size: 15px; margin: 18px 0 8px; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
.muted { color: var(--muted); }
header.top { display: flex; justify-content: space-between; align-items: flex-end; gap: 16px; flex-wrap: wrap;
  border-bottom: 1px solid var(--line); padding-bottom: 14px; }
.meta { color: var(--muted); font-size: 13px; }
.badge { display: inline-block; border-radius: 999px; padding: 2px 10px; font-size: 12px; font-weight: 600;
  letter-spacing: .02em; text-transform: uppercase; vertical-align: middle; white-space: nowrap; }
.badge.pass { background: #dcfce7; color: var(--pass); }
.badge.fail { background: #fee2e2; color: var(--fail); }
.badge.inconclusive, .badge.regression { background: #fef3c7; color: var(--inconclusive); }
.badge.error { background: #f3e8ff; color: var(--error); }
.badge.skipped, .badge.no-history, .badge.ok { background: #f1f5f9; color: var(--muted); }
h1 .badge { font-size: 14px; padding: 3px 12px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 16px 18px; margin: 14px 0;
  box-shadow: 0 1px 2px rgba(15, 23, 42, .04); }
.card > h2 { margin-top: 0; display: flex; align-items: center; gap: 10px; flex-wrap: wrap; }
.card > h2 .file { font-weight: 400; font-size: 12px; color: var(--muted); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 12px; color: var(--muted); font-weight: 600; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr:last-child td { border-bottom: none; }
a { color: #1d4ed8; text-decoration: none; }
.tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 10px; margin: 6px 0 4px; }
.tile { border: 1px solid var(--line); border-radius: 8px; padding: 8px 10px; }
.tile .label { font-size: 12px; color: var(--muted); }
.tile .value { font-size: 16px; font-weight: 600; font-variant-numeric: tabular-nums; }
.tile .sub { font-size: 12px; color: var(--muted); }
.tile.fail { border-color: #fca5a5; background: #fff7f7; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 14px; }
figure.chart { margin: 8px 0; }
figure.chart figcaption { font-weight: 600; font-size: 13px; margin-bottom: 2px; }
svg.plot { max-width: 100%; height: auto; display: block; overflow: visible; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 12px; color: var(--muted); margin-top: 2px; }
.legend span { display: inline-flex; align-items: center; gap: 5px; }
svg .grid { stroke: #eef2f7; stroke-width: 1; }
svg .axis { stroke: #94a3b8; stroke-width: 1; }
svg .tick { fill: var(--muted); font-size: 11px; }
svg .axis-label { fill: var(--muted); font-size: 11px; }
svg .bar-label { fill: var(--ink); font-size: 12px; }
svg .bar-value { fill: var(--ink); font-size: 11px; font-variant-numeric: tabular-nums; }
.ln { fill: none; stroke-width: 1.6; }
.ln-heap { stroke: #2563eb; }
.ln-external { stroke: #7c3aed; }
.ln-fit { stroke: #f59e0b; stroke-width: 2.4; }
.ln-budget { stroke: #dc2626; stroke-width: 1.6; stroke-dasharray: 6 4; }
.ln-limit, svg .limit { stroke: #dc2626; stroke-width: 2.5; }
.ln-whisker, svg .whisker { stroke: #0f172a; stroke-width: 1.3; }
.ln-trend { stroke: #64748b; stroke-width: 1.4; }
.ln-median { stroke: #94a3b8; stroke-dasharray: 3 3; stroke-width: 1; }
.ln-threshold { stroke: #dc2626; stroke-dasharray: 2 3; stroke-width: 1; }
.ln-p50 { stroke: #16a34a; } .ln-p95 { stroke: #f59e0b; } .ln-p99 { stroke: #dc2626; }
.dot-p50 { fill: #16a34a; } .dot-p95 { fill: #f59e0b; } .dot-p99 { fill: #dc2626; }
.dot-heap { fill: #2563eb; } .dot-external { fill: #7c3aed; }
.dot-final { fill: #16a34a; stroke: #fff; stroke-width: 1.5; }
.dot-trend { fill: #64748b; } .dot-current { fill: #2563eb; } .dot-regression { fill: #dc2626; }
.bar-pass { fill: #4ade80; } .bar-fail { fill: #f87171; } \
.bar-inconclusive { fill: #fbbf24; } .bar-error { fill: #c084fc; }
.bar-neutral { fill: #93c5fd; } .bar-gc { fill: #94a3b8; } .bar-latency { fill: #60a5fa; } .bar-leak { fill: #f87171; }
svg.key { display: inline-block; }
ol.path { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 2px 0; }
ol.path li { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
ol.path li + li::before { content: "→"; color: var(--muted); margin: 0 6px; }
.fault { border-left: 3px solid var(--error); background: #faf5ff; padding: 8px 12px; margin: 8px 0; \
white-space: pre-wrap; }
.failures { margin: 8px 0; padding-left: 18px; color: var(--fail); }
.notes { color: var(--muted); font-size: 13px; padding-left: 18px; }
dl.system { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
dl.system dt { color: var(--muted); }
dl.system dd { margin: 0; }
footer { color: var(--muted); font-size: 12px; margin-top: 28px; }
`;
