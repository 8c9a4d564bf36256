import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { HttpPool, type PendingRequest } from '../../../src/load/http-pool.js';

interface Done {
  readonly tag: unknown;
  readonly status: number;
  readonly error: string | null;
  readonly latency: number;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function request(tag: unknown, intended = performance.now()): PendingRequest {
  return { bytes: Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), isHead: false, keepBody: false, intended, sentAt: intended, tag };
}

function collect(expected: number): { done: Done[]; all: Promise<void>; onDone: ConstructorParameters<typeof HttpPool>[3] } {
  const done: Done[] = [];
  let resolve: () => void = () => undefined;
  const all = new Promise<void>((r) => (resolve = r));
  return {
    done,
    all,
    onDone: (req, status, error, _body, now) => {
      done.push({ tag: req.tag, status, error, latency: now - req.intended });
      if (done.length === expected) resolve();
    },
  };
}

test('the pool never opens more sockets than allowed and serves waiting requests in order', async () => {
  let open = 0;
  let maxSeen = 0;
  const server = createServer((_req, res) => setTimeout(() => res.end('ok'), 20));
  server.on('connection', (socket) => {
    maxSeen = Math.max(maxSeen, ++open);
    socket.on('close', () => open--);
  });
  const port = await listen(server);
  const { done, all, onDone } = collect(12);
  const pool = new HttpPool({ host: '127.0.0.1', port }, 3, 5000, onDone);
  for (let i = 0; i < 12; i++) pool.submit(request(i));
  assert.equal(pool.pending, 12);
  await all;
  assert.equal(maxSeen, 3);
  assert.equal(pool.maxOpen, 3);
  assert.deepEqual(done.map((d) => d.status), Array(12).fill(200));
  // Requests waited for a socket: the last ones' latency (from their intended time) includes that wait.
  assert.ok(done.at(-1)!.latency >= 75, String(done.at(-1)!.latency));
  pool.close('cancelled');
  server.close();
});

test('refused connections and sockets closed without an answer are named errors', async () => {
  const probe = createServer();
  const port = await listen(probe);
  await new Promise((resolve) => probe.close(resolve));
  const refused = collect(2);
  const pool = new HttpPool({ host: '127.0.0.1', port }, 2, 5000, refused.onDone);
  pool.submit(request('a'));
  pool.submit(request('b'));
  await refused.all;
  assert.deepEqual(refused.done.map((d) => d.error), ['ECONNREFUSED', 'ECONNREFUSED']);

  const rude = createServer((req) => req.socket.destroy());
  const rudePort = await listen(rude);
  const closed = collect(1);
  const pool2 = new HttpPool({ host: '127.0.0.1', port: rudePort }, 1, 5000, closed.onDone);
  pool2.submit(request('c'));
  await closed.all;
  assert.equal(closed.done[0]?.status, 0);
  assert.match(closed.done[0]?.error ?? '', /^(closed|ECONNRESET)$/);
  rude.close();
});

test('a request older than the timeout, counted from its intended time, ends as timeout, queued or in flight', async () => {
  const server = createServer(() => undefined); // never answers
  const port = await listen(server);
  const { done, all, onDone } = collect(2);
  const pool = new HttpPool({ host: '127.0.0.1', port }, 1, 100, onDone);
  pool.submit(request('in flight'));
  pool.submit(request('queued'));
  const sweep = setInterval(() => pool.sweep(performance.now()), 10);
  await all;
  clearInterval(sweep);
  assert.deepEqual(done.map((d) => [d.tag, d.error]).sort(), [['in flight', 'timeout'], ['queued', 'timeout']]);
  assert.ok(done.every((d) => d.latency >= 100 && d.latency < 1000));
  pool.close('cancelled');
  server.closeAllConnections();
  server.close();
});

test('openAll: every socket is open before the first request, and requests one at a time use them in turn', async () => {
  const requestsPerSocket = new Map<unknown, number>();
  const server = createServer((req, res) => {
    requestsPerSocket.set(req.socket, (requestsPerSocket.get(req.socket) ?? 0) + 1);
    res.end('ok');
  });
  let accepted = 0;
  server.on('connection', () => accepted++);
  const port = await listen(server);
  const pool = new HttpPool({ host: '127.0.0.1', port }, 3, 5000, (_req, _status, _error, _body, _now) => next());
  let next: () => void = () => undefined;
  pool.openAll();
  assert.equal(pool.open, 3);
  for (let i = 0; i < 9; i++) {
    const answered = new Promise<void>((resolve) => (next = resolve));
    pool.submit(request(i));
    await answered;
  }
  // Newest-first reuse would send all nine over one socket; in turn, each carries three.
  assert.equal(accepted, 3);
  assert.deepEqual([...requestsPerSocket.values()], [3, 3, 3]);
  pool.close('cancelled');
  server.close();
});
