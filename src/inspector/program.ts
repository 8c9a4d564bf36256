/**
 * A program memprobe observes over its inspector: one it started (`-- node app.js`), which it stops
 * afterwards with everything the program started, or a running process (`--pid`), which it leaves running.
 */
import { UsageError } from '../errors.js';
import type { OwnedProcess } from '../process/owned.js';
import { supportedFlags } from '../v8-flags.js';
import { isNode, launchInspected, openInspectorOf, type LaunchOptions } from './attach.js';
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
   * The V8 flags in effect among those asked for (`observe`'s `v8Flags`): on the command line of a `node`
   * program, set at run time in any other program memprobe started, none in a running process (--pid).
   */
  readonly v8Flags: readonly string[];
  /**
   * Detaches, and stops the program if memprobe started it (SIGTERM, then SIGKILL to its process group);
   * resolves with the processes it had left running outside its group, which were killed.
   */
  release(): Promise<readonly OwnedProcess[]>;
}

/**
 * Sets V8 flags in a running program (those its node binary knows): for programs started through another
 * command (npm start), whose node gets no V8 flags from NODE_OPTIONS. They apply from then on; memprobe sets
 * them right after the program starts, before it has compiled much. Measured on Node 20-26: with
 * --no-concurrent-array-buffer-sweeping set this way, `external` after a forced GC was as exact as with the flag.
 */
async function setFlagsAtRunTime(client: CdpClient, flags: readonly string[]): Promise<string[]> {
  if (flags.length === 0) return [];
  const execPath = await client.evaluate<string>('process.execPath');
  const known = supportedFlags(flags, execPath);
  if (known.length > 0) {
    const expression = `require('node:v8').setFlagsFromString(${JSON.stringify(known.join(' '))})`;
    await client.send('Runtime.evaluate', { expression, includeCommandLineAPI: true });
  }
  return known;
}

export async function observe(
  target: { pid?: number; command?: readonly string[] },
  launch: LaunchOptions = {},
  options: { v8Flags?: readonly string[] } = {},
): Promise<ObservedProgram> {
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
      v8Flags: [],
      async release() {
        await client
          .send('Runtime.evaluate', { expression: "require('node:inspector').close()", includeCommandLineAPI: true })
          .catch(() => undefined);
        client.close();
        return [];
      },
    };
  }
  const [command, ...args] = target.command ?? [];
  if (!command) throw new UsageError('name a program after -- (memprobe profile -- node app.js) or give --pid');
  const wanted = options.v8Flags ?? [];
  const nodeFlags = isNode(command) ? supportedFlags(wanted) : [];
  const launched = await launchInspected(command, args, { ...launch, nodeFlags });
  const { program, finished: exited } = launched;
  let client: CdpClient;
  let lastException: string | null = null;
  let v8Flags: readonly string[] = [];
  try {
    client = await CdpClient.connect(launched.inspectorUrl);
    client.on('Runtime.exceptionThrown', (params) => {
      const details = (params as { exceptionDetails?: { text?: string; exception?: { description?: string } } })
        .exceptionDetails;
      lastException = (details?.exception?.description ?? details?.text ?? 'an exception').split('\n')[0] ?? null;
    });
    await client.send('Runtime.enable');
    v8Flags = isNode(command) ? nodeFlags : await setFlagsAtRunTime(client, wanted);
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
    v8Flags,
    async release() {
      client.close();
      await program.stop();
      return program.reap(); // anything the program started, in its group or out of it
    },
  };
}
