/**
 * Summaries of DevTools profiles: the top allocation sites of a sampling heap profile (.heapprofile)
 * and the top self-time functions of a CPU profile (.cpuprofile). Pure: parsed JSON in, rows out.
 */
import type { ProfileSite } from '../types.js';

export interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  /** 0-based, as V8 reports it. */
  readonly lineNumber: number;
  readonly columnNumber: number;
}

export interface HeapProfileNode {
  readonly callFrame: CallFrame;
  readonly selfSize: number;
  readonly children: readonly HeapProfileNode[];
}

export interface CpuProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly hitCount?: number;
}

export interface CpuProfile {
  readonly nodes: readonly CpuProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples?: readonly number[];
}

const siteKey = (frame: CallFrame): string => `${frame.functionName}\u0000${frame.url}\u0000${frame.lineNumber}`;

function describe(frame: CallFrame): { functionName: string; location: string } {
  const file = frame.url.replace(/^file:\/\//, '');
  return {
    functionName: frame.functionName || '(anonymous)',
    location: file
      ? `${file}:${frame.lineNumber + 1}:${frame.columnNumber + 1}`
      : frame.functionName.startsWith('(')
        ? ''
        : '(native)',
  };
}

/** The `top` largest totals; shares are of `total` (default: the sum of all totals). */
function rank(totals: Map<string, { frame: CallFrame; value: number }>, top: number, total?: number): ProfileSite[] {
  let sum = total ?? 0;
  if (total === undefined) for (const { value } of totals.values()) sum += value;
  return [...totals.values()]
    .filter((t) => t.value > 0)
    .sort((a, b) => b.value - a.value)
    .slice(0, top)
    .map(({ frame, value }) => ({ ...describe(frame), value, share: sum > 0 ? value / sum : 0 }));
}

/** Code of the program itself, as opposed to node's internals (`node:...`) and V8 builtins (no url). */
const isUserCode = (frame: CallFrame): boolean => frame.url !== '' && !frame.url.startsWith('node:');

/** The surviving allocations of a sampling heap profile, charged to sites. */
export interface AllocationSites {
  /** Sites by surviving bytes, largest first; `share` is of the sampled bytes that are not the tool's. */
  readonly topSites: ProfileSite[];
  /** Every surviving sampled byte of the profile. */
  readonly sampledBytes: number;
  /** Bytes of the measuring tool itself (its frames, its inspector session): never a site. */
  readonly toolBytes: number;
  /** Bytes charged to a function of the program (probe or app code), the sites a fix would go to. */
  readonly programBytes: number;
  /** programBytes / sampledBytes (0 for an empty profile). */
  readonly programShare: number;
}

type Owner = { readonly frame: CallFrame; readonly tool: boolean } | null;

/**
 * Allocation sites of a sampling heap profile by surviving bytes. What node's internals or V8's builtins
 * allocate is charged to the nearest program function that called them (the timer a probe's `setInterval`
 * creates belongs to the probe), so a site is where a fix would go. `isTool` marks frames of the measuring
 * tool itself (checked before program code: the tool's files look like program files): they and the internals
 * they call are the tool's bytes, never a site, while the probe code the tool calls is the program's again.
 */
export function allocationSites(
  head: HeapProfileNode,
  top: number,
  isTool: (frame: CallFrame) => boolean = () => false,
): AllocationSites {
  const totals = new Map<string, { frame: CallFrame; value: number }>();
  let sampledBytes = 0;
  let toolBytes = 0;
  let programBytes = 0;
  const stack: Array<{ node: HeapProfileNode; owner: Owner }> = [{ node: head, owner: null }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { node } = item;
    const { callFrame } = node;
    const tool = isTool(callFrame);
    const owner: Owner = tool || isUserCode(callFrame) ? { frame: callFrame, tool } : item.owner;
    sampledBytes += node.selfSize;
    if (owner?.tool) toolBytes += node.selfSize;
    else if (node.selfSize > 0) {
      if (owner) programBytes += node.selfSize;
      const site = owner?.frame ?? callFrame;
      const key = siteKey(site);
      const entry = totals.get(key) ?? { frame: site, value: 0 };
      entry.value += node.selfSize;
      totals.set(key, entry);
    }
    for (const child of node.children) stack.push({ node: child, owner });
  }
  const topSites = rank(totals, top, sampledBytes - toolBytes);
  return {
    topSites,
    sampledBytes,
    toolBytes,
    programBytes,
    programShare: sampledBytes > 0 ? programBytes / sampledBytes : 0,
  };
}

/** Functions of a CPU profile by self time in milliseconds (hits x the mean sampling interval). */
export function topSelfTime(profile: CpuProfile, top: number): ProfileSite[] {
  const hits = profile.nodes.reduce((sum, n) => sum + (n.hitCount ?? 0), 0);
  const msPerHit = hits > 0 ? (profile.endTime - profile.startTime) / 1000 / hits : 0;
  const totals = new Map<string, { frame: CallFrame; value: number }>();
  for (const node of profile.nodes) {
    if (!node.hitCount || node.callFrame.functionName === '(idle)') continue;
    const key = siteKey(node.callFrame);
    const entry = totals.get(key) ?? { frame: node.callFrame, value: 0 };
    entry.value += node.hitCount * msPerHit;
    totals.set(key, entry);
  }
  return rank(totals, top);
}
