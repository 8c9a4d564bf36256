/**
 * Starts the embedded load target: the reference notification service in memprobe's controlled child
 * (runInChild + load/server-probe.js), so the load hits a real server whose post-GC memory is sampled as in a
 * soak. The child idles through a short warm-up, takes its idle baseline sample, and only then does the load
 * start; it is stopped (Ctrl-C path of the runner: samples kept, no teardown) once the load is over.
 */
import { DEFAULT_STALL_TIMEOUT_MS, GC_SHARE_TARGET } from '../constants.js';
import { MemprobeError } from '../errors.js';
import { EMBEDDED_START_TIMEOUT_MS, EMBEDDED_WARMUP_MS } from '../load/defaults.js';
import { sampleIntervalFor, SERVER_PROBE, type EmbeddedRequest, type EmbeddedServer } from '../load/embedded.js';
import { epochNow } from '../load/generator-protocol.js';
import { runInChild, type ChildRun } from '../runner/controller.js';
import type { ChildMessage } from '../runner/protocol.js';

/** The child's soak window is made this much longer than the load; it is stopped when the load ends. */
const CHILD_MARGIN_MS = 60_000;

/** What the child has told so far: its published URLs and when its idle baseline was taken. */
interface Announced {
  readonly published: Map<string, string>;
  baselineAt: number;
}

function startChild(
  request: EmbeddedRequest,
  signal: AbortSignal,
  announced: Announced,
  onReady: () => void,
): Promise<ChildRun> {
  const onMessage = (message: ChildMessage): void => {
    if (message.type === 'publish') announced.published.set(message.name, message.value);
    // The baseline sample is taken right before the soak phase begins: no load has been sent yet.
    if (message.type === 'phase' && message.phase === 'soak') {
      announced.baselineAt = epochNow();
      onReady();
    }
  };
  return runInChild(
    {
      probeFile: SERVER_PROBE,
      warmupMs: EMBEDDED_WARMUP_MS,
      durationMs: request.loadMs + CHILD_MARGIN_MS,
      sampleIntervalMs: sampleIntervalFor(request.durationMs, request.steps),
      gcShareTarget: GC_SHARE_TARGET,
      target: request.target,
      options: {},
      profiles: { heap: null, cpu: null },
      snapshots: null,
      evidence: null,
    },
    {
      maxOldSpaceSizeMb: undefined,
      stallTimeoutMs: DEFAULT_STALL_TIMEOUT_MS,
      verbose: request.verbose,
      signal,
      onMessage,
    },
  );
}

export async function startEmbeddedServer(request: EmbeddedRequest): Promise<EmbeddedServer> {
  const abort = new AbortController();
  const announced: Announced = { published: new Map(), baselineAt: 0 };
  let onReady: () => void = () => undefined;
  const ready = new Promise<'ready'>((resolve) => (onReady = () => resolve('ready')));
  const run = startChild(request, abort.signal, announced, onReady);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), EMBEDDED_START_TIMEOUT_MS);
  });
  const first = await Promise.race([ready, run.then(() => 'ended' as const), timeout]);
  clearTimeout(timer);
  const url = announced.published.get('url');
  const wsUrl = announced.published.get('wsUrl');
  if (first !== 'ready' || url === undefined || wsUrl === undefined) {
    abort.abort();
    const ended = await run;
    const late = `not ready within ${EMBEDDED_START_TIMEOUT_MS / 1000} s`;
    const why = ended.fault?.message ?? (first === 'timeout' ? late : 'it published no URL');
    throw new MemprobeError('E_SERVER', `the embedded notification service did not start: ${why}`);
  }
  const pid = Number(announced.published.get('pid'));
  return {
    url,
    wsUrl,
    pid: Number.isInteger(pid) ? pid : null,
    baselineAt: announced.baselineAt,
    stop() {
      abort.abort();
      return run;
    },
  };
}
