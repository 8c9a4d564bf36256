#!/usr/bin/env node
/**
 * The baseline of benchmark (c): the minimal `ws` client script. Opens N clients to URL, waits until all
 * are open, then only counts messages for S seconds. Prints `{"perSecond":..,"received":..,"clients":..}`.
 *
 *   node bench/load/ws-count-clients.mjs ws://127.0.0.1:PORT/ 1000 10
 */
import { WebSocket } from 'ws';

const [url, n = '1000', seconds = '10'] = process.argv.slice(2);
const clients = Number(n);
let open = 0;
let failed = 0;
let counting = false;
let received = 0;

await new Promise((resolve) => {
  for (let i = 0; i < clients; i++) {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.on('message', () => {
      if (counting) received++;
    });
    ws.on('open', () => ++open + failed === clients && resolve());
    ws.on('error', () => {
      if (ws.readyState !== WebSocket.OPEN && ++failed + open === clients) resolve();
    });
  }
});
await new Promise((resolve) => setTimeout(resolve, 1000)); // the same 1 s warm-up memprobe gets
counting = true;
const started = performance.now();
const cpu = process.cpuUsage();
await new Promise((resolve) => setTimeout(resolve, Number(seconds) * 1000));
counting = false;
const elapsed = performance.now() - started;
const used = process.cpuUsage(cpu);
const cpuPercent = Math.round(((used.user + used.system) / 1000 / elapsed) * 100);
console.log(JSON.stringify({ perSecond: Math.round((received * 1000) / elapsed), received, clients: open, cpuPercent }));
process.exit(0);
