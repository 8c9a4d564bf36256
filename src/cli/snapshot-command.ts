/**
 * `memprobe snapshot --pid PID`: a heap snapshot of a running Node process, streamed to a file (mode 0600).
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { formatBytes } from '../core/format.js';
import { EXIT, UsageError } from '../errors.js';
import { snapshot } from '../engine/heap.js';

interface SnapshotFlags {
  pid: string;
  out?: string;
  redact?: boolean;
}

export async function runSnapshot(flags: SnapshotFlags): Promise<number> {
  const pid = Number(flags.pid);
  if (!Number.isInteger(pid) || pid <= 0) throw new UsageError(`--pid: '${flags.pid}' is not a process id`);
  const file = resolve(flags.out ?? `${pid}-${new Date().toISOString().replace(/[:.]/g, '-')}.heapsnapshot`);
  const result = await snapshot(pid, file, { redact: flags.redact === true });
  if (result.redacted) {
    const count = (n: number): string => n.toLocaleString('en-US');
    const replaced = `${count(result.summary.replaced)} of ${count(result.summary.strings)} strings`;
    process.stdout.write(`${file} (${formatBytes(result.summary.bytesOut)}, redacted: ${replaced} replaced)\n`);
  } else {
    process.stdout.write(`${file} (${formatBytes(result.bytes)})\n`);
  }
  return EXIT.pass;
}

export function registerSnapshot(program: Command): void {
  program
    .command('snapshot')
    .summary('write a heap snapshot of a running Node process')
    .description(
      [
        "Opens the process's inspector with SIGUSR1 (it listens on 127.0.0.1:9229), streams a heap snapshot to a",
        'file readable only by you (snapshots hold every string of the process: tokens, passwords), and leaves',
        'the process running. Exit codes: 0 written; 2 bad usage or the process could not be attached.',
      ].join('\n'),
    )
    .requiredOption('--pid <pid>', 'the Node process')
    .option('-o, --out <file>', 'where to write it (default PID-TIME.heapsnapshot in this folder)')
    .option('--redact', 'write it redacted (string values replaced, as memprobe redact); nothing unredacted stays')
    .action(async (flags: SnapshotFlags) => {
      process.exitCode = await runSnapshot(flags);
    });
}
