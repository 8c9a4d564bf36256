/**
 * The probe `memprobe load` runs in the controlled child when no --url/--ws is given: it starts the reference
 * notification service (or --target MODULE) on 127.0.0.1:0, publishes its URLs, and otherwise idles, so the
 * child's forced-GC samples show what the load makes the server hold. items() is its open WebSockets.
 */
import type { ProbeContext, ProbeDefinition } from '../types.js';

/** dist/src/load/ -> dist/src/service/: the compiled reference service. */
const REFERENCE = new URL('../service/index.js', import.meta.url).href;

/** How long one idle iteration waits: the child samples between iterations, the server runs on its own. */
const IDLE_MS = 20;

interface Service {
  listen(port?: number): Promise<{ url: string; wsUrl: string }>;
  stats(): { connections: number };
  clear(): void;
  close(): Promise<void>;
}

type Factory = (options?: Record<string, unknown>) => Service;

async function createService(context: ProbeContext): Promise<Service> {
  const url = context.target ?? REFERENCE;
  const module = (await import(url)) as { createService?: unknown; default?: unknown };
  const exported = typeof module.createService === 'function' ? module.createService : module.default;
  const factory = exported as Factory | undefined;
  if (typeof factory !== 'function') throw new Error(`${url}: the module exports no createService(options) function`);
  return factory();
}

const probe: ProbeDefinition<Service> = {
  name: 'load-server',
  async setup(context) {
    const service = await createService(context);
    const { url, wsUrl } = await service.listen(0);
    context.publish('pid', String(process.pid));
    context.publish('wsUrl', wsUrl);
    context.publish('url', url);
    return service;
  },
  iteration: () => new Promise((resolve) => setTimeout(resolve, IDLE_MS)),
  items: (service) => service.stats().connections,
  async teardown(service) {
    service.clear();
    await service.close();
  },
};

export default probe;
