/**
 * A headless Chromium driven over its DevTools protocol with memprobe's own CDP client (no puppeteer): one page,
 * navigation, expressions evaluated in the page, real key presses, screenshots. The browser runs in its own
 * process group with a fresh profile; close() kills the whole group.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CdpClient } from '../../src/inspector/cdp-client.js';
import { BASE_FLAGS } from './chromium.js';

const FLAGS = [...BASE_FLAGS, '--remote-debugging-address=127.0.0.1', '--remote-debugging-port=0'];

export interface BrowserPage {
  readonly client: CdpClient;
  navigate(url: string): Promise<void>;
  evaluate<T>(expression: string): Promise<T>;
  /** Polls an expression until it is truthy; returns its value. */
  waitFor<T>(expression: string, timeoutMs?: number): Promise<T>;
  press(key: string): Promise<void>;
  screenshot(width: number, height: number): Promise<Buffer>;
  close(): Promise<void>;
}

const KEYS: Readonly<Record<string, { code: string; keyCode: number; text?: string }>> = {
  ArrowRight: { code: 'ArrowRight', keyCode: 39 },
  ArrowLeft: { code: 'ArrowLeft', keyCode: 37 },
  ArrowDown: { code: 'ArrowDown', keyCode: 40 },
  Enter: { code: 'Enter', keyCode: 13, text: '\r' },
  j: { code: 'KeyJ', keyCode: 74, text: 'j' },
  r: { code: 'KeyR', keyCode: 82, text: 'r' },
};

export async function openBrowser(browser: string, timeoutMs = 30_000): Promise<BrowserPage> {
  const profile = mkdtempSync(join(tmpdir(), 'memprobe-cdp-'));
  const child = spawn(browser, [...FLAGS, `--user-data-dir=${profile}`, 'about:blank'], {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const kill = (): void => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    rmSync(profile, { recursive: true, force: true });
  };
  let browserUrl: string;
  try {
    browserUrl = await new Promise<string>((resolve, reject) => {
      let stderr = '';
      const timer = setTimeout(() => reject(new Error(`chromium did not open its DevTools port: ${stderr.slice(-1000)}`)), timeoutMs);
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        const match = /DevTools listening on (ws:\/\/\S+)/.exec(stderr);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      child.on('exit', (code) => reject(new Error(`chromium exited (${code}): ${stderr.slice(-1000)}`)));
    });
  } catch (error) {
    kill();
    throw error;
  }
  const base = new URL(browserUrl);
  const root = await CdpClient.connect(browserUrl, timeoutMs);
  const { targetId } = await root.send<{ targetId: string }>('Target.createTarget', { url: 'about:blank' });
  const client = await CdpClient.connect(`ws://${base.host}/devtools/page/${targetId}`, timeoutMs);
  await client.send('Page.enable');
  await client.send('Runtime.enable');

  const evaluate = async <T>(expression: string): Promise<T> => {
    const result = await client.send<{ result: { value?: unknown }; exceptionDetails?: { text: string; exception?: { description?: string } } }>(
      'Runtime.evaluate',
      { expression, returnByValue: true, awaitPromise: true },
    );
    if (result.exceptionDetails) {
      throw new Error(`in the page: ${result.exceptionDetails.exception?.description ?? result.exceptionDetails.text}`);
    }
    return result.result.value as T;
  };

  return {
    client,
    async navigate(url) {
      let off = (): void => {};
      const loaded = new Promise<void>((resolve) => {
        off = client.on('Page.loadEventFired', () => resolve());
      });
      // A change of the hash alone is a same-document navigation: no loader, no load event.
      const { loaderId } = await client.send<{ loaderId?: string }>('Page.navigate', { url });
      if (loaderId) await loaded;
      off();
    },
    evaluate,
    async waitFor<T>(expression: string, waitMs = 15_000): Promise<T> {
      const deadline = Date.now() + waitMs;
      for (;;) {
        const value = await evaluate<T>(expression);
        if (value) return value;
        if (Date.now() > deadline) throw new Error(`timed out waiting for: ${expression}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async press(key) {
      const k = KEYS[key];
      if (!k) throw new Error(`no key table entry for ${key}`);
      const common = { key, code: k.code, windowsVirtualKeyCode: k.keyCode };
      await client.send('Input.dispatchKeyEvent', { type: k.text ? 'keyDown' : 'rawKeyDown', ...common, ...(k.text ? { text: k.text } : {}) });
      await client.send('Input.dispatchKeyEvent', { type: 'keyUp', ...common });
    },
    async screenshot(width, height) {
      await client.send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false });
      const shot = await client.send<{ data: string }>('Page.captureScreenshot', { format: 'png' });
      return Buffer.from(shot.data, 'base64');
    },
    async close() {
      client.close();
      root.close();
      kill();
    },
  };
}
