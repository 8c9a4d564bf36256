/**
 * The parent's handle on the generator process: fork it, hand it the plan, relay phases, ask it to stop
 * on Ctrl-C, and kill it if it outlives its plan by more than the grace time. Always resolves: with the
 * result, or with a fault that says what went wrong.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { KILL_GRACE_MS } from '../constants.js';
import { GENERATOR_GRACE_MS, SETUP_LIMIT_MS } from './defaults.js';
import { isFromGenerator, type FromGenerator, type ToGenerator } from './generator-protocol.js';
import type { GeneratorPlan } from './types.js';

const ENTRY = fileURLToPath(new URL('./generator-process.js', import.meta.url));
const STDERR_TAIL = 4096;

export type GeneratorResult = Extract<FromGenerator, { type: 'result' }>;
export type PhaseMessage = Extract<FromGenerator, { type: 'phase' }>;

export interface GeneratorOutcome {
  readonly result: GeneratorResult | null;
  readonly pid: number | null;
  readonly fault: string | null;
}

/** The longest a plan can take: setup or connecting, warm-up, every step, the final drain, plus grace. */
export function plannedMaxMs(plan: GeneratorPlan): number {
  const steps = plan.mode === 'closed' ? plan.users.length : 1;
  return Math.max(SETUP_LIMIT_MS, 2 * plan.timeoutMs) + plan.warmupMs + steps * plan.stepMs + plan.timeoutMs + GENERATOR_GRACE_MS;
}

export function runGenerator(
  plan: GeneratorPlan,
  options: {
    readonly signal?: AbortSignal;
    readonly onPhase?: (phase: PhaseMessage) => void;
    readonly onTick?: (done: number, errors: number) => void;
    readonly verbose?: boolean;
  },
): Promise<GeneratorOutcome> {
  const child = fork(ENTRY, [], {
    execArgv: [],
    serialization: 'advanced',
    stdio: ['ignore', options.verbose ? 'inherit' : 'ignore', 'pipe', 'ipc'],
    // Its own process group: a terminal's Ctrl-C reaches only the CLI, which stops the generator in order.
    detached: true,
  });
  let result: GeneratorResult | null = null;
  let fault: string | null = null;
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_TAIL);
    if (options.verbose) process.stderr.write(chunk);
  });
  child.on('error', () => undefined); // 'close' tells the outcome
  const send = (message: ToGenerator): void => {
    if (child.connected) child.send(message, () => undefined);
  };
  const hardStop = setTimeout(() => {
    fault ??= `the load generator did not finish within ${Math.round(plannedMaxMs(plan) / 1000)} s; killed`;
    child.kill('SIGKILL');
  }, plannedMaxMs(plan));
  let killTimer: NodeJS.Timeout | undefined;
  const onAbort = (): void => {
    send({ type: 'stop' });
    killTimer = setTimeout(() => child.kill('SIGKILL'), 5_000 + KILL_GRACE_MS);
  };
  child.on('message', (raw: unknown) => {
    if (!isFromGenerator(raw)) return;
    switch (raw.type) {
      case 'ready':
        send({ type: 'run', plan });
        if (options.signal?.aborted) onAbort();
        else options.signal?.addEventListener('abort', onAbort, { once: true });
        break;
      case 'phase':
        options.onPhase?.(raw);
        break;
      case 'tick':
        options.onTick?.(raw.done, raw.errors);
        break;
      case 'result':
        result = raw; // it exits once the message is flushed
        break;
      case 'fatal':
        fault ??= `the load generator failed: ${raw.message.split('\n')[0]}`;
        break;
    }
  });
  return new Promise((resolve) => {
    // 'close' waits for stderr to end; should a grandchild hold it open, 'exit' is enough after a moment.
    let exitTimer: NodeJS.Timeout | undefined;
    child.once('exit', (code, signal) => {
      exitTimer = setTimeout(() => child.emit('close', code, signal), 500);
    });
    child.once('close', (code, signal) => {
      clearTimeout(exitTimer);
      clearTimeout(hardStop);
      clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', onAbort);
      if (result === null && fault === null) {
        const last = stderr.trim().split('\n').at(-1) ?? '';
        fault = `the load generator ${signal ? `was killed by ${signal}` : `exited with code ${code}`}${last ? `: ${last}` : ''}`;
      }
      resolve({ result, pid: child.pid ?? null, fault: result === null ? fault : null });
    });
  });
}
