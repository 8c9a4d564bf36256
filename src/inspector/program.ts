/**
 * A program memprobe observes over its inspector: one it started (`-- node app.js`), which it stops
 * afterwards with everything the program started, or a running process (`--pid`), which it leaves running.
 */
import type { ChildProcess } from 'node:child_process';
import { KILL_GRACE_MS } from '../constants.js';
import { UsageError } from '../errors.js';
import { launchInspected, openInspectorOf } from './attach.js';
import { CdpClient, InspectorError } from './cdp-client.js';

export interface ObservedProgram {
  readonly client: CdpClient;
  readonly pid: number;
  /** Resolves when a program memprobe started exits by itself; never for --pid. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderrTail(): string;
  /** The last uncaught exception (with a debugger attached, node reports it over the protocol, not stderr). */
  lastException(): string | null;
  /** Detaches, and stops the program if memprobe started it (SIGTERM, then SIGKILL to its process group). */
  release(): Promise<void>;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

export async function observe(target: { pid?: number; command?: readonly string[] }, env?: NodeJS.ProcessEnv): Promise<ObservedProgram> {
  if (target.pid !== undefined) {
    const client = await CdpClient.connect(await openInspectorOf(target.pid));
    const pid = await client.evaluate<number>('process.pid');
    if (pid !== target.pid) {
      client.close();
      throw new InspectorError(`the inspector on 127.0.0.1:9229 belongs to process ${pid}, not ${target.pid}`);
    }
    return {
      client,
      pid,
      exited: new Promise(() => undefined),
      stderrTail: () => '',
      lastException: () => null,
      async release() {
        await client.send('Runtime.evaluate', { expression: "require('node:inspector').close()", includeCommandLineAPI: true }).catch(() => undefined);
        client.close();
      },
    };
  }
  const [command, ...args] = target.command ?? [];
  if (!command) throw new UsageError('name a program after -- (memprobe profile -- node app.js) or give --pid');
  const launched = await launchInspected(command, args, env ? { env } : {});
  const { child } = launched;
  const { finished: exited } = launched;
  let client: CdpClient;
  let lastException: string | null = null;
  try {
    client = await CdpClient.connect(launched.inspectorUrl);
    client.on('Runtime.exceptionThrown', (params) => {
      const details = (params as { exceptionDetails?: { text?: string; exception?: { description?: string } } }).exceptionDetails;
      lastException = (details?.exception?.description ?? details?.text ?? 'an exception').split('\n')[0] ?? null;
    });
    await client.send('Runtime.enable');
  } catch (error) {
    killGroup(child, 'SIGKILL');
    throw error;
  }
  return {
    client,
    pid: child.pid ?? -1,
    exited,
    stderrTail: launched.stderrTail,
    lastException: () => lastException,
    async release() {
      client.close();
      if (child.exitCode === null && child.signalCode === null) {
        const gone = new Promise((resolve) => child.once('exit', resolve));
        killGroup(child, 'SIGTERM');
        const timer = setTimeout(() => killGroup(child, 'SIGKILL'), KILL_GRACE_MS);
        await gone;
        clearTimeout(timer);
      }
      killGroup(child, 'SIGKILL'); // anything the program started
    },
  };
}
