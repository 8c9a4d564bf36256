/**
 * Text bound for a terminal may carry strings from probes, programs and heap snapshots. A control character
 * in one (ESC [2J clears the screen, ESC ]0; sets the window title) must be shown, not obeyed: C0 and C1
 * controls other than newline and tab become visible `\x1b`-style escapes.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export function terminalSafe(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
