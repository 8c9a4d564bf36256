/**
 * Progress on stderr while probes run: a live line on a terminal, a plain line every few seconds
 * otherwise (CI=true or no TTY). Never on stdout, which carries the report.
 */
import { basename } from 'node:path';
import { formatBytes } from '../config/units.js';
import type { ChildMessage } from '../runner/protocol.js';

const PLAIN_EVERY_MS = 5_000;

export interface Progress {
  onMessage(probeFile: string, message: ChildMessage): void;
  done(): void;
}

export function createProgress(windowMs: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  const live = stream.isTTY === true && process.env.CI !== 'true';
  let name = '';
  let phase = 'start-up';
  let lastPlain = 0;
  let drawn = false;
  let previous = { timeMs: 0, iterations: 0 };
  const draw = (text: string): void => {
    if (live) {
      stream.write(`\r\x1b[2K${text}`);
      drawn = true;
    } else if (performance.now() - lastPlain >= PLAIN_EVERY_MS) {
      stream.write(`${text}\n`);
      lastPlain = performance.now();
    }
  };
  return {
    onMessage(probeFile, message) {
      if (message.type === 'ready') {
        name = message.name;
        previous = { timeMs: 0, iterations: 0 };
      }
      if (name === '') name = basename(probeFile);
      if (message.type === 'phase') {
        phase = message.phase;
        if (phase === 'setup' || phase === 'teardown') draw(`${name}: ${phase}`);
      }
      if (message.type === 'progress' && phase === 'soak') {
        const { timeMs, iterations, heapUsed } = message.progress;
        const perSecond = timeMs > previous.timeMs ? Math.round(((iterations - previous.iterations) * 1000) / (timeMs - previous.timeMs)) : 0;
        previous = { timeMs, iterations };
        draw(`${name}: ${(timeMs / 1000).toFixed(0)}/${(windowMs / 1000).toFixed(0)} s · heap ${formatBytes(heapUsed)} · ${perSecond.toLocaleString('en-US')} it/s`);
      }
    },
    done() {
      if (drawn) stream.write('\r\x1b[2K');
    },
  };
}
