#!/usr/bin/env node
// What exact `external` costs per sample: a 64-slot pool of 2 KB Buffers (allocUnsafeSlow) churned for 100 ms, then a
// forced GC and a reading of `external`, 60 times, in a child per mode and node binary:
//   default  one gc(), V8's concurrent array-buffer sweeping (what memprobe did before)
//   flag     one gc() under --no-concurrent-array-buffer-sweeping (what memprobe does now)
//   twice    two gc() in a row, no flag (memprobe's fallback where a node lacks the flag)
// Reports the spread of `external` over the readings (the pool holds 128 KB: any more is dead Buffers not yet
// freed) and the median and p90 time of the GC step. A benchmark script, not a test.
//
//   node bench/exact-external.mjs [--node /path/to/node ...] [--samples 60]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const FLAG = '--no-concurrent-array-buffer-sweeping';
const MODES = { default: { argv: [], gcs: 1 }, flag: { argv: [FLAG], gcs: 1 }, twice: { argv: [], gcs: 2 } };

async function child(gcs, samples) {
  const pool = new Array(64).fill(null);
  let n = 0;
  const churn = (ms) => {
    const end = performance.now() + ms;
    while (performance.now() < end) for (let i = 0; i < 100; i++) pool[n++ & 63] = Buffer.allocUnsafeSlow(2048);
  };
  churn(500);
  const external = [];
  const gcMs = [];
  for (let k = 0; k < samples; k++) {
    churn(100);
    const start = performance.now();
    for (let g = 0; g < gcs; g++) globalThis.gc();
    gcMs.push(performance.now() - start);
    external.push(process.memoryUsage().external);
  }
  process.stdout.write(JSON.stringify({ external, gcMs, kept: pool.length }));
}

const { values } = parseArgs({ options: { node: { type: 'string', multiple: true }, samples: { type: 'string', default: '60' }, child: { type: 'string' } } });
const samples = Number(values.samples);
if (values.child) {
  await child(Number(values.child), samples);
} else {
  const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
  console.log('| node | mode | external spread over readings (max - min) | GC step per sample, median (p90) |');
  console.log('| --- | --- | --- | --- |');
  for (const node of values.node ?? [process.execPath]) {
    const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
    for (const [mode, { argv, gcs }] of Object.entries(MODES)) {
      const run = spawnSync(node, ['--expose-gc', ...argv, fileURLToPath(import.meta.url), '--child', String(gcs), '--samples', String(samples)], { encoding: 'utf8' });
      if (run.status !== 0) {
        console.log(`| ${version} | ${mode} | failed: ${run.stderr.trim().split('\n')[0]} | |`);
        continue;
      }
      const { external, gcMs } = JSON.parse(run.stdout);
      const spread = Math.max(...external) - Math.min(...external);
      console.log(`| ${version} | ${mode} | ${(spread / 1024).toFixed(1)} KB | ${quantile(gcMs, 0.5).toFixed(2)} ms (${quantile(gcMs, 0.9).toFixed(2)} ms) |`);
    }
  }
}
