/**
 * The `memprobe view` web server. A heap snapshot holds every string of a process (tokens, passwords), so:
 * it listens on 127.0.0.1 only, on a random port; every request must carry the session's random token (in the
 * query or the `x-memprobe-token` header), compared in constant time; a Host that is not our own address
 * (DNS rebinding) and an Origin or Sec-Fetch-Site of another site are refused; only GET and HEAD are served;
 * every answer carries a strict CSP (scripts and styles from this server only), no-referrer (the token is in
 * the URL) and no-store.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { REPORT_CSS } from '../report/html-style.js';
import { answer } from './api.js';
import type { ViewSession } from './session.js';

export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
};

const ASSETS: Readonly<Record<string, { file: string; type: string }>> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/app.css': { file: 'app.css', type: 'text/css; charset=utf-8' },
};

/** The page's files: src/view/assets, found from src/view or dist/src/view. */
const ASSET_DIR = new URL(
  import.meta.url.includes('/dist/src/') ? '../../../src/view/assets/' : './assets/',
  import.meta.url,
);

export interface RunningView {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** Equal-length digests: the comparison takes the same time whatever the guess. */
export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string') return false;
  return timingSafeEqual(digest(expected), digest(given));
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, head: boolean): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(head ? undefined : body);
}

/** Why a request is refused before its token is even looked at, or null. */
export function refusal(req: IncomingMessage, port: number): string | null {
  if (req.method !== 'GET' && req.method !== 'HEAD') return 'only GET and HEAD are served';
  const hosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  if (!hosts.includes(req.headers.host ?? '')) return 'wrong Host header';
  const origin = req.headers.origin;
  if (origin !== undefined && !hosts.some((h) => origin === `http://${h}`))
    return 'requests from other origins are refused';
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return 'cross-site requests are refused';
  return null;
}

export function startViewServer(session: ViewSession): Promise<RunningView> {
  const token = randomBytes(24).toString('base64url');
  const assets = new Map<string, Buffer>();
  const asset = (name: string): Buffer => {
    let bytes = assets.get(name);
    if (!bytes) {
      const text = readFileSync(new URL(name, ASSET_DIR), 'utf8');
      // The report charts' colours come from the HTML report's stylesheet: one source for both pages.
      const body = name === 'app.css' ? `${REPORT_CSS}\n${text}` : text;
      // The page's own asset URLs carry the token: every request is checked, the page's too.
      bytes = Buffer.from(name === 'index.html' ? body.replaceAll('__TOKEN__', token) : body);
      assets.set(name, bytes);
    }
    return bytes;
  };
  let port = 0;
  const server: Server = createServer((req, res) => {
    const head = req.method === 'HEAD';
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const refused = refusal(req, port);
    if (refused) return send(res, 403, 'text/plain; charset=utf-8', `memprobe view: ${refused}\n`, head);
    const given = url.searchParams.get('token') ?? req.headers['x-memprobe-token'];
    if (!tokenMatches(token, Array.isArray(given) ? given[0] : given)) {
      return send(res, 403, 'text/plain; charset=utf-8', 'memprobe view: missing or wrong token\n', head);
    }
    const page = ASSETS[url.pathname];
    if (page) return send(res, 200, page.type, asset(page.file), head);
    if (url.pathname.startsWith('/api/')) {
      const result = answer(session, url.pathname, url.searchParams);
      return send(res, result.status, 'application/json; charset=utf-8', JSON.stringify(result.body), head);
    }
    return send(res, 404, 'text/plain; charset=utf-8', 'memprobe view: not found\n', head);
  });
  // Keep-alive sockets of an open tab would hold close() open until the browser lets go.
  server.keepAliveTimeout = 2000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      port = (server.address() as AddressInfo).port;
      resolve({
        url: `http://127.0.0.1:${port}/?token=${token}`,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
