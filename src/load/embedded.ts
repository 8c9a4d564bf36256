/**
 * The embedded target: the reference notification service started in memprobe's controlled child
 * (runInChild + ./server-probe.js), so the load hits a real server whose post-GC memory is sampled as in a
 * soak. The child idles through a short warm-up, takes its idle baseline sample, and only then does the
 * load start; it is stopped (Ctrl-C path of the runner: samples kept, no teardown) once the load is over.
 */
import { fileURLToPath } from 'node:url';
import { DEFAULT_STALL_TIMEOUT_MS, GC_SHARE_TARGET } from '../constants.js';
import { MemprobeError } from '../errors.js';
import { runInChild, type ChildRun } from '../runner/controller.js';
import { EMBEDDED_SAMPLE_MAX_MS, EMBEDDED_SAMPLE_MIN_MS, EMBEDDED_SAMPLES, EMBEDDED_START_TIMEOUT_MS, EMBEDDED_WARMUP_MS } from './defaults.js';
import { epochNow } from './generator-protocol.js';

const PROBE = fileURLToPath(new URL('./server-probe.js', import.meta.url));
/** The child's soak window is made this much longer than the load; it is stopped when the load ends. */
const CHILD_MARGIN_MS = 60_000;

export interface EmbeddedServer {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  /** ws://127.0.0.1:PORT/ws */
  readonly wsUrl: string;
  readonly pid: number | null;
  /** Epoch ms of the child's idle baseline sample (its samples' timeMs count from there). */
  readonly baselineAt: number;
  /** Ends the child and returns what it sampled. */
  stop(): Promise<ChildRun>;
}

/**
 * Milliseconds between the child's memory samples: about a dozen over the measured time and at least three
 * per step of a ramp, bounded (each sample's forced GC also pauses the server).
 */
export function sampleIntervalFor(durationMs: number, steps: number): number {
  const wanted = Math.min(durationMs / EMBEDDED_SAMPLES, durationMs / Math.max(1, steps) / 3);
  return Math.min(EMBEDDED_SAMPLE_MAX_MS, Math.max(EMBEDDED_SAMPLE_MIN_MS, Math.round(wanted)));
}

export async function startEmbeddedServer(options: {
  /** The longest the load can take (warm-up, steps, drain): the child must outlive it. */
  readonly loadMs: number;
  readonly durationMs: number;
  readonly steps: number;
  readonly target: string | undefined;
  readonly verbose: boolean;
}): Promise<EmbeddedServer> {
  const abort = new AbortController();
  const published = new Map<string, string>();
  let baselineAt = 0;
  let onReady: () => void = () => undefined;
  const ready = new Promise<'ready'>((resolve) => (onReady = () => resolve('ready')));
  const run = runInChild(
    {
      probeFile: PROBE,
      warmupMs: EMBEDDED_WARMUP_MS,
      durationMs: options.loadMs + CHILD_MARGIN_MS,
      sampleIntervalMs: sampleIntervalFor(options.durationMs, options.steps),
      gcShareTarget: GC_SHARE_TARGET,
      target: options.target,
      options: {},
      profiles: { heap: null, cpu: null },
      snapshots: null,
    },
    {
      maxOldSpaceSizeMb: undefined,
      stallTimeoutMs: DEFAULT_STALL_TIMEOUT_MS,
      verbose: options.verbose,
      signal: abort.signal,
      onMessage: (message) => {
        if (message.type === 'publish') published.set(message.name, message.value);
        // The baseline sample is taken right before the soak phase begins: no load has been sent yet.
        if (message.type === 'phase' && message.phase === 'soak') {
          baselineAt = epochNow();
          onReady();
        }
      },
    },
  );
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), EMBEDDED_START_TIMEOUT_MS)));
  const first = await Promise.race([ready, run.then(() => 'ended' as const), timeout]);
  clearTimeout(timer);
  const url = published.get('url');
  const wsUrl = published.get('wsUrl');
  if (first !== 'ready' || url === undefined || wsUrl === undefined) {
    abort.abort();
    const ended = await run;
    const why = ended.fault?.message ?? (first === 'timeout' ? `not ready within ${EMBEDDED_START_TIMEOUT_MS / 1000} s` : 'it published no URL');
    throw new MemprobeError('E_SERVER', `the embedded notification service did not start: ${why}`);
  }
  const pid = Number(published.get('pid'));
  return {
    url,
    wsUrl,
    pid: Number.isInteger(pid) ? pid : null,
    baselineAt,
    stop() {
      abort.abort();
      return run;
    },
  };
}
