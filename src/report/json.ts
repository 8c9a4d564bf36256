/**
 * JSON reports: indented by two spaces, with a trailing newline. A file of its own, so that a command writing only
 * JSON does not load the other renderers.
 */
export const renderJson = (report: unknown): string => `${JSON.stringify(report, null, 2)}\n`;
