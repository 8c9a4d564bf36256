/**
 * Which processes are memprobe's: every process it starts carries two environment variables, which its
 * descendants inherit even when they leave its process group (detached, setsid) or are re-parented to init.
 * - MEMPROBE_OWNER: one value per memprobe invocation (the keeper ends these if memprobe is killed);
 * - MEMPROBE_GROUP: one value per supervised child (its teardown ends these and names them).
 * Found through /proc (Linux); where /proc cannot be read, nothing is found and process groups still apply.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';

export const OWNER_ENV = 'MEMPROBE_OWNER';
export const GROUP_ENV = 'MEMPROBE_GROUP';

/** This invocation's owner token. */
export const OWNER = `${process.pid}.${randomBytes(6).toString('hex')}`;
let groups = 0;

/** A new group token, and the environment a child started with it gets. */
export function ownedEnv(env: NodeJS.ProcessEnv = process.env): { token: string; env: NodeJS.ProcessEnv } {
  const token = `${OWNER}.${++groups}`;
  return { token, env: { ...env, [OWNER_ENV]: OWNER, [GROUP_ENV]: token } };
}

export interface OwnedProcess {
  readonly pid: number;
  /** Its process group. */
  readonly pgid: number;
  /** Its command line, shortened: `sleep 1000`. */
  readonly command: string;
}

/** Live processes (zombies aside) whose environment holds `name=value`. */
export function processesWithEnv(name: string, value: string): OwnedProcess[] {
  const wanted = `${name}=${value}`;
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return [];
  }
  const found: OwnedProcess[] = [];
  for (const entry of entries) {
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      if (!readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(wanted)) continue;
      // /proc/PID/stat: "pid (comm) state ppid pgrp ..."; comm may hold spaces and parentheses.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state === 'Z' || state === 'X') continue;
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
      found.push({ pid, pgid: Number(pgrp), command: command.length > 80 ? `${command.slice(0, 79)}…` : command });
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

/** SIGKILLs every live process whose environment holds `name=value` (a group token by default); returns them. */
export function killOwned(value: string, name: string = GROUP_ENV): OwnedProcess[] {
  const found = processesWithEnv(name, value);
  for (const { pid } of found) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  return found;
}

/** The report note for processes that had to be killed at teardown (none: no note). */
export function escapedNote(who: string, escaped: readonly OwnedProcess[]): string[] {
  if (escaped.length === 0) return [];
  const list = escaped.map((p) => `${p.command} (pid ${p.pid})`).join(', ');
  return [`killed ${escaped.length} process(es) ${who} left running outside its process group: ${list}`];
}
