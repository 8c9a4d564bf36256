/**
 * A burst of concurrent HTTP requests against the service's JSON API on 127.0.0.1: a fixed number of requests
 * pushed through `concurrency` keep-alive connections as fast as the service answers, each with its own timeout
 * and the whole burst with a deadline. Failures are counted, not thrown: the burst measures degradation.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface BurstPlan {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly requests: number;
  readonly concurrency: number;
  /** One request may take this long before it counts as failed. */
  readonly requestTimeoutMs: number;
  /** Requests not started by then count as failed. */
  readonly deadlineMs: number;
  /** Path and JSON body of request `i`. */
  readonly requestFor: (i: number) => { path: string; body: string };
  /** Status that counts as success. */
  readonly okStatus: number;
}

export interface BurstResult {
  readonly attempted: number;
  readonly succeeded: number;
  readonly durationMs: number;
  /** The first failure, to explain a low success rate. */
  readonly firstError: string | undefined;
}

function post(agent: Agent, url: URL, path: string, body: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        timeout: timeoutMs,
      },
      (res) => {
        res.resume();
        res.once('end', () => resolve(res.statusCode ?? 0));
        res.once('error', reject);
      },
    );
    req.once('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.once('error', reject);
    req.end(body);
  });
}

/** Runs the burst; resolves once every request ended and the client sockets are destroyed. */
export async function httpBurst(plan: BurstPlan): Promise<BurstResult> {
  const url = new URL(plan.url);
  const agent = new Agent({ keepAlive: true, maxSockets: plan.concurrency });
  const started = performance.now();
  const deadline = started + plan.deadlineMs;
  let next = 0;
  let succeeded = 0;
  let firstError: string | undefined;
  const worker = async (): Promise<void> => {
    while (next < plan.requests && performance.now() < deadline) {
      const { path, body } = plan.requestFor(next++);
      try {
        const status = await post(agent, url, path, body, plan.requestTimeoutMs);
        if (status === plan.okStatus) succeeded++;
        else firstError ??= `HTTP ${status} from POST ${path}`;
      } catch (error) {
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(plan.concurrency, plan.requests) }, worker));
  } finally {
    agent.destroy();
  }
  if (next < plan.requests) {
    firstError ??= `${plan.requests - next} requests not sent before the ${plan.deadlineMs} ms deadline`;
  }
  return { attempted: plan.requests, succeeded, durationMs: performance.now() - started, firstError };
}
