/**
 * Runs `memprobe view ... --no-open` through the real CLI, hands the printed URL to the test, then stops the
 * server with SIGINT (as Ctrl-C does) and returns how the CLI ended, with any process it left behind.
 */
import type { ChildProcess } from 'node:child_process';
import { runCli, type CliResult } from './cli.js';

const URL_LINE = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/;

export async function withView(
  args: readonly string[],
  work: (url: URL) => Promise<void>,
  readyMs = 120_000,
): Promise<CliResult> {
  let child: ChildProcess | null = null;
  let timer: NodeJS.Timeout | undefined;
  let finished: Promise<CliResult> | undefined;
  const url = new Promise<URL>((resolve, reject) => {
    const started = Date.now();
    const running = runCli(['view', ...args, '--no-open'], {
      timeoutMs: readyMs + 300_000,
      onSpawn: (spawned, output) => {
        child = spawned;
        timer = setInterval(() => {
          const match = URL_LINE.exec(output());
          if (match) resolve(new URL(match[0]));
          else if (Date.now() - started > readyMs) reject(new Error(`no URL after ${readyMs} ms: ${output()}`));
        }, 25);
      },
    });
    running.then((r) => reject(new Error(`view ended before serving (code ${r.code}): ${r.stdout}${r.stderr}`)));
    finished = running;
  });
  try {
    await work(await url);
  } finally {
    clearInterval(timer);
    (child as ChildProcess | null)?.kill('SIGINT');
  }
  return finished!;
}
