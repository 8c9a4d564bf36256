#!/usr/bin/env node
/**
 * The view's queries timed in-process (no HTTP, no browser): what the server itself spends per answer, first
 * call and cached. `npx tsc -p . && node bench/view/queries.mjs FILE.heapsnapshot`
 */
import { loadSession } from '../../dist/src/view/session.js';
import { answer } from '../../dist/src/view/api.js';
let t = performance.now();
if (!process.argv[2]) {
  console.error('usage: node bench/view/queries.mjs FILE.heapsnapshot');
  process.exit(2);
}
const s = loadSession([process.argv[2]], { showValues: false, rules: 'devtools' });
console.log('load', Math.round(performance.now() - t));
const q = (path, params = {}) => { const t0 = performance.now(); const a = answer(s, path, new URLSearchParams(params)); console.log(path, JSON.stringify(params), a.status, (performance.now() - t0).toFixed(1), 'ms', JSON.stringify(a.body).length, 'bytes'); return a.body; };
q('/api/session'); q('/api/classes', { limit: 200 }); q('/api/classes', { limit: 200 });
const kids = q('/api/children'); q('/api/children');
const id = kids.rows[0].id;
q('/api/object', { id }); q('/api/children', { id }); q('/api/children', { id });
q('/api/retainers', { id }); q('/api/retainers', { id });
q('/api/instances', { class: 'Item', limit: 200 });
