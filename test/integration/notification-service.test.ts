/**
 * Behaviour of the reference notification service and of its leaky variant, over real sockets on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import type { RawData } from 'ws';
import { createService as createLeakyService } from '../../fixtures/leaky-notification-service/index.js';
import { createService, ValidationError } from '../../src/service/index.js';
import type {
  NotificationService,
  ServiceOptions,
  WireError,
  WireNotification,
} from '../../src/service/index.js';

const TIMEOUT_MS = 3000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` until it holds; fails the test with `what` after TIMEOUT_MS. */
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + TIMEOUT_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** A WebSocket client that records every message it receives. */
class Client {
  readonly raw: string[] = [];
  readonly notifications: WireNotification[] = [];
  readonly errors: WireError[] = [];

  private constructor(readonly ws: WebSocket) {
    // Attached before 'open': a flush can arrive in the same packet as the handshake.
    ws.on('message', (data: RawData) => {
      const text = (data as Buffer).toString('utf8');
      this.raw.push(text);
      const message = JSON.parse(text) as WireNotification | WireError;
      if (message.type === 'notification') this.notifications.push(message);
      else this.errors.push(message);
    });
  }

  static async connect(wsUrl: string, userId: string): Promise<Client> {
    const client = new Client(new WebSocket(`${wsUrl}?userId=${encodeURIComponent(userId)}`));
    await once(client.ws, 'open');
    return client;
  }

  async receive(count: number): Promise<WireNotification[]> {
    await until(() => this.notifications.length >= count, `${count} notifications (have ${this.notifications.length})`);
    return this.notifications.slice(0, count);
  }

  ack(id: string): void {
    this.ws.send(JSON.stringify({ type: 'ack', id }));
  }

  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    const closed = once(this.ws, 'close');
    this.ws.close();
    await closed;
  }
}

interface Running<S extends NotificationService> {
  service: S;
  url: string;
  wsUrl: string;
}

async function start<S extends NotificationService>(t: TestContext, service: S): Promise<Running<S>> {
  const { url, wsUrl } = await service.listen();
  t.after(() => service.close());
  return { service, url, wsUrl };
}

const startReference = (t: TestContext, options?: ServiceOptions) => start(t, createService(options));

const input = (userId: string, title: string) => ({ userId, title, body: `body of ${title}` });

test('delivers a notification to every open connection of its user and to no one else', async (t) => {
  const { service, wsUrl } = await startReference(t);
  service.createUser('a');
  service.createUser('b');
  const mine = await Promise.all([1, 2, 3].map(() => Client.connect(wsUrl, 'a')));
  const other = await Client.connect(wsUrl, 'b');

  const created = service.createNotification({ ...input('a', 'hello'), priority: 'high', data: { k: 1 } });
  for (const client of mine) {
    const [message] = await client.receive(1);
    assert.deepEqual(message, {
      type: 'notification', id: created.id, seq: created.seq, userId: 'a', title: 'hello', body: 'body of hello',
      priority: 'high', data: { k: 1 }, createdAt: created.createdAt, sentAt: message?.sentAt, queued: false,
    });
    assert.equal(typeof message?.sentAt, 'number');
  }
  await sleep(50);
  assert.equal(other.notifications.length, 0);
  assert.deepEqual(created.read, false);
  const stats = service.stats();
  assert.equal(stats.delivered, 3);
  assert.equal(stats.queuedMessages, 0);
  assert.equal(stats.connections, 4);
});

test('delivers in creation order with a strictly increasing seq', async (t) => {
  const { service, wsUrl } = await startReference(t);
  service.createUser('u');
  const client = await Client.connect(wsUrl, 'u');
  const created = Array.from({ length: 50 }, (_, i) => service.createNotification(input('u', `n${i}`)));
  const received = await client.receive(50);
  assert.deepEqual(received.map((m) => m.id), created.map((n) => n.id));
  assert.deepEqual(received.map((m) => m.title), created.map((_, i) => `n${i}`));
  for (let i = 1; i < received.length; i++) assert.ok(received[i]!.seq > received[i - 1]!.seq);
  assert.equal(new Set(created.map((n) => n.id)).size, 50);
});

test('offline queue keeps the newest queueCap messages, counts drops, and flushes in order', async (t) => {
  const { service, wsUrl } = await startReference(t, { queueCap: 5 });
  service.createUser('u');
  for (let i = 0; i < 8; i++) service.createNotification(input('u', `m${i}`));
  const before = service.stats();
  assert.equal(before.queuedMessages, 5);
  assert.equal(before.maxQueueDepth, 5);
  assert.equal(before.dropped, 3);

  const client = await Client.connect(wsUrl, 'u');
  const flushed = await client.receive(5);
  assert.deepEqual(flushed.map((m) => m.title), ['m3', 'm4', 'm5', 'm6', 'm7']);
  assert.ok(flushed.every((m) => m.queued && m.userId === 'u'));
  await sleep(30);
  assert.equal(client.notifications.length, 5);
  assert.equal(service.stats().queuedMessages, 0);
  assert.equal(service.stats().pendingAcks, 5);
});

test('queued messages expire after queueTtlMs on enqueue and on flush (injected clock)', async (t) => {
  let clock = 1_000_000;
  const { service, wsUrl } = await startReference(t, { queueTtlMs: 1000, now: () => clock });
  service.createUser('u');
  service.createNotification(input('u', 'first'));
  clock += 600;
  service.createNotification(input('u', 'second'));
  clock += 500; // first is 1100 ms old: dropped by the next enqueue
  const third = service.createNotification(input('u', 'third'));
  assert.equal(third.createdAt, 1_001_100);
  assert.deepEqual([service.stats().expired, service.stats().queuedMessages], [1, 2]);
  clock += 600; // second is 1100 ms old: dropped by the flush

  const client = await Client.connect(wsUrl, 'u');
  const [only] = await client.receive(1);
  assert.equal(only?.title, 'third');
  assert.equal(only?.sentAt, 1_001_700);
  await sleep(30);
  assert.equal(client.notifications.length, 1);
  assert.equal(service.stats().expired, 2);
  assert.equal(service.stats().dropped, 0);
});

test('acked flushed messages are done; unacked ones are re-queued in order when the socket closes', async (t) => {
  const { service, wsUrl } = await startReference(t);
  service.createUser('u');
  for (let i = 0; i < 4; i++) service.createNotification(input('u', `m${i}`));
  const first = await Client.connect(wsUrl, 'u');
  const flushed = await first.receive(4);
  assert.equal(service.stats().pendingAcks, 4);
  first.ack(flushed[0]!.id);
  first.ack(flushed[1]!.id);
  first.ack('no-such-id');
  await until(() => service.stats().pendingAcks === 2, 'two acks');
  assert.equal(service.stats().delivered, 2);

  await first.close();
  await until(() => service.stats().connections === 0, 'server-side close');
  assert.deepEqual([service.stats().queuedMessages, service.stats().pendingAcks], [2, 0]);
  service.createNotification(input('u', 'm4'));

  const second = await Client.connect(wsUrl, 'u');
  const again = await second.receive(3);
  assert.deepEqual(again.map((m) => m.title), ['m2', 'm3', 'm4']);
  assert.deepEqual(again.slice(0, 2).map((m) => m.id), flushed.slice(2).map((m) => m.id));
  for (const message of again) second.ack(message.id);
  await until(() => service.stats().pendingAcks === 0, 'all acks');
  assert.equal(service.stats().queuedMessages, 0);
  assert.equal(service.stats().delivered, 5);
});

test('unacked messages move to another open connection of the same user', async (t) => {
  const { service, wsUrl } = await startReference(t);
  service.createUser('u');
  service.createNotification(input('u', 'm0'));
  service.createNotification(input('u', 'm1'));
  const first = await Client.connect(wsUrl, 'u');
  await first.receive(2);
  const second = await Client.connect(wsUrl, 'u');
  await sleep(20);
  assert.equal(second.notifications.length, 0);
  await first.close();
  const moved = await second.receive(2);
  assert.deepEqual(moved.map((m) => [m.title, m.queued]), [['m0', true], ['m1', true]]);
});

test('rejects invalid input with a ValidationError that names the problem', () => {
  const service = createService();
  service.createUser('u');
  const rejects = (fn: () => unknown, code: string, pattern: RegExp): void => {
    assert.throws(fn, (error: unknown) => {
      assert.ok(error instanceof ValidationError, `expected ValidationError, got ${String(error)}`);
      assert.equal(error.code, code);
      assert.match(error.message, pattern);
      return true;
    });
  };
  rejects(() => service.createNotification(input('ghost', 't')), 'unknown_user', /unknown user "ghost"/);
  rejects(() => service.createNotification(input('u', '')), 'invalid_input', /title must be a non-empty string/);
  rejects(() => service.createNotification(input('u', '   ')), 'invalid_input', /title must be a non-empty/);
  rejects(() => service.createNotification(input('u', 'x'.repeat(201))), 'invalid_input', /title .*200.*got 201/);
  rejects(() => service.createNotification({ userId: 'u', title: 't', body: 'x'.repeat(5001) }), 'invalid_input', /body .*5000.*got 5001/);
  rejects(() => service.createNotification({ ...input('u', 't'), priority: 'urgent' as 'high' }), 'invalid_input', /priority must be one of low, normal, high \(got "urgent"\)/);
  rejects(() => service.createNotification({ ...input('u', 't'), data: [] as unknown as Record<string, unknown> }), 'invalid_input', /data must be a JSON object/);
  rejects(() => service.publish('', { title: 't', body: '' }), 'invalid_input', /topic must be/);
  rejects(() => service.subscribe('ghost', 'news'), 'unknown_user', /ghost/);
  rejects(() => service.listNotifications('u', { limit: 0 }), 'invalid_input', /limit must be a positive integer/);
  rejects(() => createService({ queueCap: 0 }), 'invalid_option', /queueCap must be a positive integer/);
  // The limits themselves are accepted.
  assert.equal(service.createNotification({ userId: 'u', title: 'x'.repeat(200), body: 'y'.repeat(5000) }).read, false);
  assert.equal(service.stats().notifications, 1);
});

test('history keeps the newest historyCap notifications; list and markRead work on it', () => {
  const service = createService({ historyCap: 3 });
  service.createUser('u');
  const created = Array.from({ length: 5 }, (_, i) => service.createNotification(input('u', `n${i}`)));
  assert.deepEqual(service.listNotifications('u').map((n) => n.title), ['n4', 'n3', 'n2']);
  assert.equal(service.stats().notifications, 3);
  assert.equal(service.markRead('u', created[4]!.id), true);
  assert.equal(service.markRead('u', created[0]!.id), false, 'dropped from history');
  assert.equal(service.markRead('ghost', created[4]!.id), false);
  assert.deepEqual(service.listNotifications('u', { unreadOnly: true }).map((n) => n.title), ['n3', 'n2']);
  assert.deepEqual(service.listNotifications('u', { limit: 1 }).map((n) => [n.title, n.read]), [['n4', true]]);
  assert.equal(service.createUser('u').id, 'u', 'createUser is idempotent');
  assert.notEqual(service.createUser().id, service.createUser().id);
});

async function call(url: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const init: RequestInit = { method };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const response = await fetch(url + path, init);
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** Sends a body in chunks without content-length, so the limit must be enforced while streaming. */
function postChunked(url: string, path: string, chunk: string, chunks: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url + path, { method: 'POST' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    for (let i = 0; i < chunks; i++) req.write(chunk);
    req.end();
  });
}

test('HTTP routes, including 400, 404, 405 and 413', async (t) => {
  const { service, url } = await startReference(t);
  assert.deepEqual(await call(url, 'GET', '/health'), { status: 200, json: { status: 'ok' } });
  const user = await call(url, 'POST', '/users', { id: 'h1' });
  assert.equal(user.status, 201);
  assert.equal(user.json.id, 'h1');
  const generated = await call(url, 'POST', '/users');
  assert.equal(generated.status, 201);
  assert.match(String(generated.json.id), /^user-\d+$/);

  const created = await call(url, 'POST', '/notifications', { userId: 'h1', title: 'hi', body: 'there', priority: 'low' });
  assert.equal(created.status, 201);
  assert.equal(created.json.priority, 'low');
  await call(url, 'POST', '/notifications', { userId: 'h1', title: 'second', body: '' });
  assert.deepEqual(await call(url, 'POST', '/notifications', { userId: 'h1', title: '', body: '' }), {
    status: 400, json: { error: 'title must be a non-empty string (got "")' },
  });
  assert.equal((await call(url, 'POST', '/notifications', { userId: 'ghost', title: 't', body: '' })).status, 404);

  const id = String(created.json.id);
  assert.deepEqual(await call(url, 'POST', `/users/h1/notifications/${id}/read`), { status: 200, json: { read: true } });
  assert.equal((await call(url, 'POST', '/users/h1/notifications/n999/read')).status, 404);
  const unread = await call(url, 'GET', '/users/h1/notifications?unread=1&limit=5');
  assert.deepEqual((unread.json.notifications as Array<{ title: string }>).map((n) => n.title), ['second']);
  const limited = await call(url, 'GET', '/users/h1/notifications?limit=1');
  assert.equal((limited.json.notifications as unknown[]).length, 1);
  assert.equal((await call(url, 'GET', '/users/h1/notifications?limit=abc')).status, 400);
  assert.equal((await call(url, 'GET', '/users/ghost/notifications')).status, 404);

  assert.deepEqual(await call(url, 'POST', '/topics/news/subscribe', { userId: 'h1' }), { status: 200, json: { subscribed: true } });
  assert.deepEqual(await call(url, 'POST', '/topics/news/publish', { title: 'extra', body: '!' }), { status: 200, json: { recipients: 1 } });
  assert.deepEqual(await call(url, 'POST', '/broadcast', { title: 'all', body: '' }), { status: 200, json: { recipients: 2 } });
  const stats = await call(url, 'GET', '/stats');
  assert.deepEqual([stats.json.users, stats.json.notifications, stats.json.queuedMessages], [2, 5, 5]);
  assert.deepEqual(stats.json, { ...service.stats() });

  assert.equal((await call(url, 'GET', '/nope')).status, 404);
  assert.equal((await call(url, 'GET', '/users/h1/things')).status, 404);
  assert.equal((await call(url, 'GET', '/users')).status, 405);
  assert.deepEqual(await call(url, 'POST', '/users', '{not json'), { status: 400, json: { error: 'request body is not valid JSON' } });
  assert.equal((await call(url, 'POST', '/users', '[1]')).status, 400);
  assert.equal((await call(url, 'POST', '/users', { id: 'x'.repeat(70 * 1024) })).status, 413);
  assert.equal(await postChunked(url, '/users', 'x'.repeat(16 * 1024), 5), 413);
  assert.equal((await call(url, 'GET', '/health')).status, 200, 'still serving after 413s');
});

test('broadcast and publish send one shared serialization to every socket and queue for offline users', async (t) => {
  const { service, wsUrl } = await startReference(t);
  for (const id of ['a', 'b', 'c', 'd']) service.createUser(id);
  const sockets = await Promise.all(['a', 'a', 'b', 'c'].map((id) => Client.connect(wsUrl, id)));

  assert.equal(service.broadcast({ title: 'all', body: 'hands' }), 4);
  for (const client of sockets) await client.receive(1);
  const raw = sockets.map((client) => client.raw[0]);
  assert.equal(new Set(raw).size, 1, 'identical bytes on every socket');
  assert.equal(sockets[0]!.notifications[0]!.userId, '*');
  assert.deepEqual(service.stats().queuedMessages, 1, 'd is offline');
  assert.equal(service.stats().delivered, 4);
  const [ofA] = service.listNotifications('a');
  const [ofD] = service.listNotifications('d');
  assert.deepEqual([ofA?.userId, ofD?.userId, ofA?.id === ofD?.id], ['a', 'd', true]);

  service.subscribe('a', 'deploys');
  service.subscribe('d', 'deploys');
  assert.equal(service.publish('deploys', { title: 'v2', body: 'shipped' }), 2);
  const [, second] = await sockets[0]!.receive(2);
  assert.deepEqual([second?.topic, second?.title], ['deploys', 'v2']);
  await sockets[1]!.receive(2);
  await sleep(30);
  assert.deepEqual(sockets.slice(2).map((client) => client.notifications.length), [1, 1]);
  assert.equal(service.stats().maxQueueDepth, 2);
  assert.equal(service.unsubscribe('d', 'deploys'), true);
  assert.equal(service.unsubscribe('d', 'deploys'), false);
  assert.equal(service.publish('deploys', { title: 'v3', body: '' }), 1);
  assert.equal(service.publish('nobody-here', { title: 'v3', body: '' }), 0);
});

test('stats reflects users, histories, queues and connections; clear() releases them', async (t) => {
  const { service, wsUrl } = await startReference(t);
  service.createUser('u1');
  service.createUser('u2');
  for (let i = 0; i < 3; i++) service.createNotification(input('u1', `a${i}`));
  service.createNotification(input('u2', 'b'));
  const client = await Client.connect(wsUrl, 'u3');
  assert.deepEqual(service.stats(), {
    users: 3, notifications: 4, connections: 1, queuedMessages: 4, maxQueueDepth: 3,
    pendingAcks: 0, delivered: 0, dropped: 0, expired: 0,
  });
  service.clear();
  await once(client.ws, 'close');
  const after = service.stats();
  assert.deepEqual([after.users, after.notifications, after.connections, after.queuedMessages], [0, 0, 0, 0]);
});

test('WebSocket gate: an unknown userId creates the user; a missing one or another path is refused', async (t) => {
  const { service, wsUrl, url } = await startReference(t);
  const client = await Client.connect(wsUrl, 'newcomer');
  assert.equal(service.stats().users, 1);
  assert.equal(service.listNotifications('newcomer').length, 0);
  client.ws.send('not json');
  client.ws.send(JSON.stringify({ type: 'shout' }));
  await until(() => client.errors.length === 2, 'two error replies');
  assert.deepEqual(client.errors.map((e) => e.error), ['message is not valid JSON', 'unknown message type "shout"']);

  for (const [target, status] of [[wsUrl, 400], [`${url.replace('http', 'ws')}/other?userId=x`, 404]] as const) {
    const [error] = (await once(new WebSocket(target), 'error')) as [Error];
    assert.equal(error.message, `Unexpected server response: ${status}`);
  }
});

test('the standalone server prints its URL and exits cleanly on SIGTERM', async () => {
  const script = fileURLToPath(new URL('../../src/service/server.js', import.meta.url));
  const child = spawn(process.execPath, [script], { env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
  const match = /^notification service listening on (http:\/\/127\.0\.0\.1:(\d+))$/.exec(line);
  assert.ok(match, line);
  assert.equal((await call(match[1]!, 'GET', '/health')).status, 200);
  const client = await Client.connect(`ws://127.0.0.1:${match[2]}/ws`, 'u');
  const clientClosed = once(client.ws, 'close');
  child.kill('SIGTERM');
  const [code, signal] = (await exited) as [number | null, string | null];
  assert.deepEqual([code, signal], [0, null]);
  await clientClosed;
});

test('leaky variant: closed connections stay in the connection map', async (t) => {
  const leaky = await start(t, createLeakyService());
  const reference = await startReference(t);
  for (const { service, wsUrl } of [leaky, reference]) {
    service.createUser('u');
    for (let i = 0; i < 5; i++) await (await Client.connect(wsUrl, 'u')).close();
  }
  await until(() => leaky.service.leaks().closedConnectionsHeld === 5, 'five closed sockets held');
  await until(() => reference.service.stats().connections === 0, 'reference releases sockets');
  assert.equal(leaky.service.stats().connections, 5);
  // Behaviour is unchanged: with no open socket the user's notifications still queue.
  leaky.service.createNotification(input('u', 'offline'));
  assert.equal(leaky.service.stats().queuedMessages, 1);
  leaky.service.clear();
  assert.equal(leaky.service.leaks().heldConnections, 5, 'clear() does not release them');
});

test('leaky variant: offline queues ignore queueCap and queueTtlMs', () => {
  let clock = 0;
  const options = { queueCap: 5, queueTtlMs: 1000, now: () => clock };
  const leaky = createLeakyService(options);
  const reference = createService(options);
  for (const service of [leaky, reference]) {
    service.createUser('u');
    for (let i = 0; i < 20; i++) {
      service.createNotification(input('u', `m${i}`));
      clock += 10;
    }
  }
  assert.deepEqual([leaky.stats().queuedMessages, leaky.stats().maxQueueDepth, leaky.stats().dropped], [20, 20, 0]);
  assert.deepEqual([reference.stats().queuedMessages, reference.stats().dropped], [5, 15]);
  clock += 10_000;
  leaky.createNotification(input('u', 'late'));
  reference.createNotification(input('u', 'late'));
  assert.deepEqual([leaky.stats().queuedMessages, leaky.stats().expired], [21, 0]);
  assert.deepEqual([reference.stats().queuedMessages, reference.stats().expired], [1, 5]);
});

test('leaky variant: one never-removed listener per notification on a long-lived emitter', () => {
  const leaky = createLeakyService({ historyCap: 3 });
  leaky.createUser('u');
  leaky.createUser('v');
  const created = Array.from({ length: 10 }, (_, i) => leaky.createNotification(input('u', `n${i}`)));
  assert.equal(leaky.leaks().readListeners, 10);
  assert.equal(leaky.events.listenerCount('read'), 10);
  assert.equal(leaky.broadcast({ title: 'all', body: '' }), 2);
  assert.equal(leaky.leaks().readListeners, 12);
  assert.equal(leaky.stats().notifications, 4, 'histories are capped, the listeners are not');
  assert.equal(leaky.markRead('u', created[9]!.id), true);
  assert.equal(leaky.listNotifications('u', { unreadOnly: true }).length, 2);
  leaky.clear();
  assert.equal(leaky.leaks().readListeners, 12, 'clear() does not remove them');
});
