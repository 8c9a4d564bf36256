/**
 * Entry of the load generator process, forked by generator.ts: runs one plan and sends back histograms
 * and its own health. It lives apart from the measured server (and from the CLI), so its CPU and event
 * loop are its own and can be judged. It ignores a terminal's Ctrl-C (the parent sends 'stop' and waits
 * for the partial result) and exits when the parent goes away.
 */
import { Meter, RunControl } from './control.js';
import { PROGRESS_TICK_MS } from './defaults.js';
import { type FromGenerator, type ToGenerator, type WireWs, epochNow } from './generator-protocol.js';
import { HttpLoad } from './http-load.js';
import type { GeneratorPlan } from './plan-types.js';
import { WsLoad } from './ws-load.js';

const send = process.send?.bind(process);

function post(message: FromGenerator, then?: () => void): void {
  try {
    if (then === undefined) send?.(message);
    else send?.(message, () => then());
  } catch {
    process.exit(0); // the parent is gone
  }
}

/** Leaves once the last message is flushed (or after a second): sockets may still be closing. */
function leave(code: number): void {
  setTimeout(() => process.exit(code), 1000).unref();
}

async function run(plan: GeneratorPlan, control: RunControl): Promise<void> {
  const meter = new Meter();
  const load = plan.mode === 'ws' ? new WsLoad(plan, control, meter) : new HttpLoad(plan, control, meter);
  // Progress for the parent's progress line, about once a second while the load runs.
  const ticks = setInterval(() => post({ type: 'tick', ...load.progress() }), PROGRESS_TICK_MS);
  ticks.unref();
  let ws: WireWs | null = null;
  if (load instanceof WsLoad) ws = await load.run();
  else await load.run();
  clearInterval(ticks);
  post(
    {
      type: 'result',
      steps: load instanceof HttpLoad ? load.steps.map((step) => step.toWire()) : [],
      ws,
      generator: { pid: process.pid, ...meter.stop(), lagHistogram: load.lag.encode() },
      notes: load.notes,
    },
    () => process.exit(0),
  );
}

if (!send) {
  console.error('memprobe load generator: must be forked by memprobe with an IPC channel');
  process.exit(2);
}
process.on('disconnect', () => process.exit(0));
process.on('SIGINT', () => undefined);
const fatal = (error: unknown): void => {
  post({ type: 'fatal', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  leave(1);
};
process.on('uncaughtException', fatal);
process.on('unhandledRejection', fatal);
const control = new RunControl((phase, step, label) => post({ type: 'phase', phase, step, label, at: epochNow() }));
process.on('message', (raw: unknown) => {
  const message = raw as ToGenerator;
  if (message.type === 'stop') control.stop();
  else if (message.type === 'run') {
    run(message.plan, control).then(() => leave(0), fatal);
  }
});
post({ type: 'ready', pid: process.pid });
