/**
 * The parent's handle on the generator process: fork it, hand it the plan, relay phases, ask it to stop
 * on Ctrl-C, and kill it if it outlives its plan by more than the grace time. Always resolves: with the
 * result, or with a fault that says what went wrong.
 */
import { fileURLToPath } from 'node:url';
import { KILL_GRACE_MS } from '../constants.js';
import { supervise, type Exit, type Supervised, type SuperviseOptions } from '../process/supervisor.js';
import { GENERATOR_GRACE_MS, SETUP_LIMIT_MS } from './defaults.js';
import { fromGenerator, type FromGenerator, type ToGenerator } from './generator-protocol.js';
import type { GeneratorPlan } from './plan-types.js';

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
  const start = Math.max(SETUP_LIMIT_MS, 2 * plan.timeoutMs);
  return start + plan.warmupMs + steps * plan.stepMs + plan.timeoutMs + GENERATOR_GRACE_MS;
}

interface GeneratorEvents {
  readonly signal?: AbortSignal;
  readonly onPhase?: (phase: PhaseMessage) => void;
  readonly onTick?: (done: number, errors: number) => void;
  readonly verbose?: boolean;
}

/** How the generator's output is passed through: only with --verbose. */
function outputOf(verbose: boolean | undefined): SuperviseOptions<FromGenerator> {
  return {
    stdout: verbose ? 'inherit' : 'ignore',
    stderrTailBytes: STDERR_TAIL,
    ...(verbose ? { onStderr: (chunk: Buffer) => process.stderr.write(chunk) } : {}),
  };
}

/** Why a generator that sent no result ended, from its exit and the last line it wrote. */
function exitFault(generator: Supervised<ToGenerator>, exit: Exit): string {
  const last = generator.stderrTail().trim().split('\n').at(-1) ?? '';
  const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
  return `the load generator ${how}${last ? `: ${last}` : ''}`;
}

export function runGenerator(plan: GeneratorPlan, options: GeneratorEvents): Promise<GeneratorOutcome> {
  let result: GeneratorResult | null = null;
  let fault: string | null = null;
  let killTimer: NodeJS.Timeout | undefined;
  const onAbort = (): void => {
    generator.send({ type: 'stop' });
    killTimer = setTimeout(() => generator.signal('SIGKILL'), 5_000 + KILL_GRACE_MS);
  };
  const onMessage = (message: FromGenerator): void => {
    switch (message.type) {
      case 'ready':
        generator.send({ type: 'run', plan });
        if (options.signal?.aborted) onAbort();
        else options.signal?.addEventListener('abort', onAbort, { once: true });
        break;
      case 'phase':
        options.onPhase?.(message);
        break;
      case 'tick':
        options.onTick?.(message.done, message.errors);
        break;
      case 'result':
        result = message; // it exits once the message is flushed
        break;
      case 'fatal':
        fault ??= `the load generator failed: ${message.message.split('\n')[0]}`;
        break;
    }
  };
  // Its own process group: a terminal's Ctrl-C reaches only the CLI, which stops the generator in order.
  const generator = supervise<FromGenerator, ToGenerator>(
    { kind: 'fork', module: ENTRY },
    { ...outputOf(options.verbose), channel: { guard: fromGenerator, onMessage } },
  );
  const hardStop = setTimeout(() => {
    fault ??= `the load generator did not finish within ${Math.round(plannedMaxMs(plan) / 1000)} s; killed`;
    generator.signal('SIGKILL');
  }, plannedMaxMs(plan));
  return generator.closed.then((exit) => {
    clearTimeout(hardStop);
    clearTimeout(killTimer);
    options.signal?.removeEventListener('abort', onAbort);
    generator.reap();
    if (result === null && fault === null) fault = exitFault(generator, exit);
    return { result, pid: generator.pid ?? null, fault: result === null ? fault : null };
  });
}
