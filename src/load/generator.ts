/**
 * The parent's handle on the generator process: fork it, hand it the plan, relay phases, ask it to stop
 * on Ctrl-C, and kill it if it outlives its plan by more than the grace time. Always resolves: with the
 * result, or with a fault that says what went wrong.
 */
import { fileURLToPath } from 'node:url';
import { KILL_GRACE_MS } from '../constants.js';
import { supervise } from '../process/supervisor.js';
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
  // Its own process group: a terminal's Ctrl-C reaches only the CLI, which stops the generator in order.
  const generator = supervise(
    { kind: 'fork', module: ENTRY },
    {
      stdout: options.verbose ? 'inherit' : 'ignore',
      stderrTailBytes: STDERR_TAIL,
      ...(options.verbose ? { onStderr: (chunk: Buffer) => process.stderr.write(chunk) } : {}),
    },
  );
  const { child } = generator;
  let result: GeneratorResult | null = null;
  let fault: string | null = null;
  const send = (message: ToGenerator): void => {
    if (child.connected) child.send(message, () => undefined);
  };
  const hardStop = setTimeout(() => {
    fault ??= `the load generator did not finish within ${Math.round(plannedMaxMs(plan) / 1000)} s; killed`;
    generator.signal('SIGKILL');
  }, plannedMaxMs(plan));
  let killTimer: NodeJS.Timeout | undefined;
  const onAbort = (): void => {
    send({ type: 'stop' });
    killTimer = setTimeout(() => generator.signal('SIGKILL'), 5_000 + KILL_GRACE_MS);
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
  return generator.closed.then(({ code, signal }) => {
    clearTimeout(hardStop);
    clearTimeout(killTimer);
    options.signal?.removeEventListener('abort', onAbort);
    generator.reap();
    if (result === null && fault === null) {
      const last = generator.stderrTail().trim().split('\n').at(-1) ?? '';
      fault = `the load generator ${signal ? `was killed by ${signal}` : `exited with code ${code}`}${last ? `: ${last}` : ''}`;
    }
    return { result, pid: child.pid ?? null, fault: result === null ? fault : null };
  });
}
