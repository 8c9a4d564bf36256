/**
 * The keeper: a small process that ends memprobe's children when memprobe itself dies, even by SIGKILL.
 * It reads process-group ids on a pipe from memprobe; when the pipe closes (memprobe exited, however), it
 * SIGKILLs those groups and every process whose environment carries this invocation's owner token, then
 * exits. It runs in a session of its own so a terminal's Ctrl-C does not end it before it is needed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { GROUP_ENV, killOwned, OWNER, OWNER_ENV } from './owned.js';

// Plain JavaScript for `node -e`: no import of memprobe's own files, so it starts in a few tens of ms.
const KEEPER_SCRIPT = `
const fs = require('fs');
const [owner, name] = process.argv.slice(1);
const groups = new Set();
let rest = '';
process.stdin.on('data', (d) => {
  const lines = (rest + d).split('\\n');
  rest = lines.pop();
  for (const line of lines) if (/^\\d+$/.test(line)) groups.add(Number(line));
});
process.stdin.on('end', () => {
  for (const g of groups) { try { process.kill(-g, 'SIGKILL'); } catch {} }
  const wanted = name + '=' + owner;
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\\d+$/.test(e) || Number(e) === process.pid) continue;
    try {
      const env = fs.readFileSync('/proc/' + e + '/environ', 'latin1').split('\\0');
      if (env.includes(wanted)) process.kill(Number(e), 'SIGKILL');
    } catch {}
  }
  process.exit(0);
});
`;

/** undefined until first needed; null when it could not be started (process groups still apply). */
let keeper: ChildProcess | null | undefined;
const groups = new Set<number>();

/**
 * memprobe ending by itself (an exit, an uncaught error) does the keeper's work at once and ends the keeper,
 * so nothing of memprobe's outlives its exit by even a moment; the keeper is for the SIGKILL no handler sees.
 */
function endEverything(): void {
  for (const group of groups) {
    try {
      process.kill(-group, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  killOwned(OWNER, OWNER_ENV);
  keeper?.kill('SIGKILL');
}

function startKeeper(): ChildProcess | null {
  const env = { ...process.env };
  delete env[OWNER_ENV];
  delete env[GROUP_ENV];
  delete env.NODE_OPTIONS;
  try {
    const child = spawn(process.execPath, ['-e', KEEPER_SCRIPT, OWNER, OWNER_ENV], {
      stdio: ['pipe', 'ignore', 'ignore'],
      detached: true,
      env,
    });
    child.on('error', () => undefined);
    child.stdin?.on('error', () => undefined);
    // Neither the process nor its pipe may keep memprobe alive: the pipe closes when memprobe exits.
    child.unref();
    (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    return child;
  } catch {
    return null;
  }
}

/** Hands a new process group to the keeper (started on first use). */
export function keepGroup(pgid: number | undefined): void {
  if (pgid === undefined) return;
  if (keeper === undefined) {
    keeper = startKeeper();
    process.once('exit', endEverything);
  }
  groups.add(pgid);
  keeper?.stdin?.write(`${pgid}\n`);
}
