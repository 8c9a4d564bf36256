/**
 * Loads the service the built-in probes soak: `--target MODULE` (context.target, a file URL) when given,
 * else the embedded reference notification service. Only the public interface is used, so any module that
 * exports `createService` the way src/service/interface.ts describes can be measured.
 */
import type { ProbeContext } from 'memprobe';
import type { NotificationService, NotificationServiceModule, ServiceOptions } from '../../src/service/interface.js';

export type { NotificationService, ServiceOptions } from '../../src/service/interface.js';

/** dist/probes/support/ -> dist/fixtures/...: the compiled reference service. */
const REFERENCE = new URL('../../src/service/index.js', import.meta.url).href;

type Factory = (options?: ServiceOptions) => NotificationService;

function factoryOf(module: Partial<NotificationServiceModule>, where: string): Factory {
  const factory = module.createService ?? module.default;
  if (typeof factory !== 'function') {
    throw new Error(`${where}: the module exports no createService(options) function (named or default)`);
  }
  return factory;
}

/** Creates a fresh service instance from the target module (or the reference service) with `options`. */
export async function createTargetService(
  context: ProbeContext,
  options: ServiceOptions,
): Promise<NotificationService> {
  const url = context.target ?? REFERENCE;
  const module = (await import(url)) as Partial<NotificationServiceModule>;
  const service = factoryOf(module, url)(options);
  const methods = ['createUser', 'createNotification', 'broadcast', 'stats', 'listen', 'close', 'clear'] as const;
  for (const method of methods) {
    if (typeof service[method] !== 'function') throw new Error(`${url}: the service has no ${method}() method`);
  }
  return service;
}

/** Ends a service whatever state it is in: drop its data and sockets, stop listening. */
export async function shutDown(service: NotificationService | undefined): Promise<void> {
  if (service === undefined) return;
  service.clear();
  await service.close();
}
