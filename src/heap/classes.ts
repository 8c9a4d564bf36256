/**
 * Class names as Chrome DevTools' summary view groups objects (calculateObjectNames): objects and native
 * objects by their constructor name ('<div id=x>' becomes '<div>'), closures as 'Function', regexps as
 * 'RegExp', code as '(compiled code)', hidden V8 internals as '(system)', anything else as '(<type>)',
 * e.g. '(string)' or '(array)'. DevTools' newer naming of plain objects by their properties is not done here.
 */
import { detachedNodes } from './dom-state.js';
import type { HeapSnapshot } from './snapshot.js';
import type { Workspace } from './workspace.js';

export interface ClassIndex {
  /** Class id of each node (by ordinal). */
  readonly ofNode: Uint32Array;
  /** Class names by id. */
  readonly names: readonly string[];
}

function shortDomName(name: string): string {
  if (name.startsWith('<')) {
    const space = name.indexOf(' ');
    return space === -1 ? name : `${name.slice(0, space)}>`;
  }
  if (name.startsWith('Detached <')) {
    const space = name.indexOf(' ', 10);
    return space === -1 ? name : `${name.slice(0, space)}>`;
  }
  return name;
}

export function classIndex(snapshot: HeapSnapshot, workspace?: Workspace): ClassIndex {
  const { nodeCount, nodeType, nodeName, strings } = snapshot;
  const k = snapshot.kinds;
  const names: string[] = [];
  const idByName = new Map<string, number>();
  const register = (name: string): number => {
    let id = idByName.get(name);
    if (id === undefined) {
      id = names.length;
      names.push(name);
      idByName.set(name, id);
    }
    return id;
  };
  const byType = snapshot.nodeTypes.map((type, code) => {
    if (code === k.hidden) return register('(system)');
    if (code === k.code) return register('(compiled code)');
    if (code === k.closure) return register('Function');
    if (code === k.regexp) return register('RegExp');
    return register(`(${type})`);
  });
  const detached = detachedNodes(snapshot);
  const byString = new Int32Array(strings.length).fill(-1);
  // A working array the earlier passes are done with: its pages are already in memory (each new one costs a fault).
  const ofNode = workspace ? workspace.takeScratch().subarray(0, nodeCount) : new Uint32Array(nodeCount);
  let d = 0;
  let nextDetached = detached?.[0] ?? -1;
  for (let node = 0; node < nodeCount; node++) {
    const type = nodeType[node]!;
    if (node === nextDetached) {
      ofNode[node] = register(shortDomName(`Detached ${strings.get(nodeName[node]!)}`));
      nextDetached = detached![++d] ?? -1;
    } else if (type === k.object || type === k.native) {
      const s = nodeName[node]!;
      let id = byString[s]!;
      if (id < 0) id = byString[s] = register(shortDomName(strings.get(s)));
      ofNode[node] = id;
    } else {
      ofNode[node] = byType[type]!;
    }
  }
  return { ofNode, names };
}
