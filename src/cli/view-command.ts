/**
 * `memprobe view FILE...`: a local web page on snapshots, leak clusters and reports (src/view). The files are
 * read first; then the page is served on 127.0.0.1 until Ctrl-C, and its URL (with the session's token) is
 * printed whether or not a browser is opened.
 */
import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { parseRules } from '../engine/heap-inspect.js';
import { EXIT } from '../errors.js';
import { loadSession } from '../view/session.js';
import { startViewServer } from '../view/server.js';
import { heapProgress } from './heap-progress.js';

interface ViewFlags {
  open?: boolean;
  showValues?: boolean;
  rules?: string;
  verbose?: boolean;
}

/** The desktop's own opener; a failure only means the user opens the printed URL. */
function openBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(command, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () =>
      process.stderr.write(`memprobe: could not open a browser (${command}); open the URL above\n`),
    );
    child.unref();
  } catch {
    process.stderr.write('memprobe: could not open a browser; open the URL above\n');
  }
}

export async function runView(files: readonly string[], flags: ViewFlags): Promise<number> {
  const rules = parseRules(flags.rules);
  const started = performance.now();
  const progress = heapProgress(flags.verbose === true);
  let session;
  try {
    session = loadSession(files, { showValues: flags.showValues === true, rules, phases: progress.phases });
  } finally {
    progress.done();
  }
  const view = await startViewServer(session);
  // Listening before the URL is printed: a Ctrl-C right after it still closes the server and exits 0.
  const stopped = new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(`memprobe view (${session.mode}, read in ${seconds} s): ${view.url}\n`);
  process.stdout.write('Ctrl-C stops the server.\n');
  if (flags.open !== false) openBrowser(view.url);
  await stopped;
  await view.close();
  return EXIT.pass;
}

export function registerView(program: Command): void {
  program
    .command('view')
    .summary('explore snapshots, leak clusters and reports in a local web page')
    .description(
      [
        'Reads the files, then serves a page on 127.0.0.1 (a random port, a random token in the URL) until Ctrl-C:',
        '  one .heapsnapshot        class summary, dominator tree, retainers of any object',
        '  two (BASE TARGET)        the same on TARGET, and per class what is new and deleted since BASE',
        '  three (BASE TARGET FINAL) the same on FINAL, and the leak clusters of the three-snapshot leak method',
        '  a report.json, or the --out folder holding it (soak or check): heap-over-time chart, history trend',
        "                           and leak clusters per probe; with the probe's snapshots, the leak method on them",
        '',
        'The page asks the server for what it shows (a page of rows at a time): it never receives the whole heap.',
        'Strings from the heap are shown by their shape (string(24)) unless --show-values. The URL is printed and',
        'opened in the default browser (not with --no-open); anyone with the URL on this machine can read the heap.',
        '',
        'Keys: 1-5 tabs, / filter, j/k or arrows move, Enter opens, Right/Left expand/collapse, r retainers.',
        '',
        'Exit codes: 0 stopped with Ctrl-C; 2 bad usage or a file that is not a readable snapshot or report.',
      ].join('\n'),
    )
    .argument('<files...>', '1 to 3 .heapsnapshot files, or one report.json / output folder')
    .option('--no-open', 'do not open a browser (the URL is printed either way)')
    .option('--show-values', 'show string values from the heap (tokens, passwords...) instead of their shape')
    .option('--rules <rules>', 'retained-size rules: devtools (default) or memlab')
    .action(async (files: string[], flags: ViewFlags, command: Command) => {
      const { verbose } = command.optsWithGlobals<ViewFlags>();
      process.exitCode = await runView(files, { ...flags, verbose });
    });
}
