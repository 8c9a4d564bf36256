/**
 * A program memprobe observes over its inspector: one it started (`-- node app.js`), which it stops
 * afterwards with everything the program started, or a running process (`--pid`), which it leaves running.
 */
import { UsageError } from '../errors.js';
import type { OwnedProcess } from '../process/owned.js';
import { launchInspected, openInspectorOf, type LaunchOptions } from './attach.js';
import { CdpClient, InspectorError } from './cdp-client.js';

export interface ObservedProgram {
  readonly client: CdpClient;
  readonly pid: number;
  /** Resolves when a program memprobe started exits by itself; never for --pid. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderrTail(): string;
  /** The last uncaught exception (with a debugger attached, node reports it over the protocol, not stderr). */
  lastException(): string | null;
  /**
   * Detaches, and stops the program if memprobe started it (SIGTERM, then SIGKILL to its process group);
   * resolves with the processes it had left running outside its group, which were killed.
   */
  release(): Promise<readonly OwnedProcess[]>;
}

export async function observe(target: { pid?: number; command?: readonly string[] }, launch: LaunchOptions = {}): Promise<ObservedProgram> {
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
        return [];
      },
    };
  }
  const [command, ...args] = target.command ?? [];
  if (!command) throw new UsageError('name a program after -- (memprobe profile -- node app.js) or give --pid');
  const launched = await launchInspected(command, args, launch);
  const { program, finished: exited } = launched;
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
    program.signal('SIGKILL');
    program.reap();
    throw error;
  }
  return {
    client,
    pid: program.pid ?? -1,
    exited,
    stderrTail: launched.stderrTail,
    lastException: () => lastException,
    async release() {
      client.close();
      await program.stop();
      return program.reap(); // anything the program started, in its group or out of it
    },
  };
}
