/**
 * The `snapshot` header: field layouts, type enums and counts. It is small, so it is the one part read with
 * JSON.parse; every count it claims is checked against the file size before anything is allocated from it.
 */

export interface SnapshotHeader {
  readonly title: string;
  readonly nodeFields: readonly string[];
  readonly nodeTypes: readonly string[];
  readonly edgeFields: readonly string[];
  readonly edgeTypes: readonly string[];
  readonly nodeTypeField: number;
  readonly nodeNameField: number;
  readonly nodeIdField: number;
  readonly nodeSelfSizeField: number;
  readonly nodeEdgeCountField: number;
  /** -1 when the snapshot has no detachedness field (older V8). */
  readonly nodeDetachednessField: number;
  readonly edgeTypeField: number;
  readonly edgeNameField: number;
  readonly edgeToField: number;
  /** As the header claims (0 when absent); the parser checks it against the arrays. */
  readonly nodeCount: number;
  readonly edgeCount: number;
  /** Ordinal of the root node (the file's root_index divided by the node field count). */
  readonly rootOrdinal: number;
}

const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((v) => typeof v === 'string');
const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

export function parseHeader(
  text: string,
  totalBytes: number | undefined,
  fail: (message: string) => never,
): SnapshotHeader {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    fail(`not a heap snapshot: the "snapshot" header is not valid JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null)
    fail('not a heap snapshot: the "snapshot" header is not an object');
  const header = parsed as Record<string, unknown>;
  const meta = header.meta as Record<string, unknown> | undefined;
  if (typeof meta !== 'object' || meta === null) fail('not a heap snapshot: the header has no "meta"');
  const nodeFields = meta.node_fields;
  const edgeFields = meta.edge_fields;
  if (!isStringArray(nodeFields) || !isStringArray(edgeFields))
    fail('not a heap snapshot: meta.node_fields or meta.edge_fields is missing');
  const field = (fields: string[], name: string): number => {
    const index = fields.indexOf(name);
    if (index < 0) fail(`not a heap snapshot: meta has no "${name}" field`);
    return index;
  };
  const nodeTypeField = field(nodeFields, 'type');
  const edgeTypeField = field(edgeFields, 'type');
  const nodeTypes = (meta.node_types as unknown[] | undefined)?.[nodeTypeField];
  const edgeTypes = (meta.edge_types as unknown[] | undefined)?.[edgeTypeField];
  if (!isStringArray(nodeTypes) || !isStringArray(edgeTypes))
    fail('not a heap snapshot: meta.node_types or meta.edge_types is missing');
  if (nodeTypes.length > 255 || edgeTypes.length > 255) fail('not a heap snapshot: more than 255 node or edge types');
  const nodeCount = header.node_count ?? 0;
  const edgeCount = header.edge_count ?? 0;
  if (!isCount(nodeCount) || !isCount(edgeCount)) fail('not a heap snapshot: node_count or edge_count is not a count');
  if (totalBytes !== undefined) {
    // Every value takes at least one digit and one separator.
    if (nodeCount * nodeFields.length * 2 > totalBytes)
      fail(`the header claims ${nodeCount} nodes, more than a file of ${totalBytes} bytes can hold`);
    if (edgeCount * edgeFields.length * 2 > totalBytes)
      fail(`the header claims ${edgeCount} edges, more than a file of ${totalBytes} bytes can hold`);
  }
  const rootIndex = header.root_index ?? 0;
  if (!isCount(rootIndex) || rootIndex % nodeFields.length !== 0)
    fail('not a heap snapshot: root_index is not a node index');
  return {
    title: typeof header.title === 'string' ? header.title : '',
    nodeFields,
    nodeTypes,
    edgeFields,
    edgeTypes,
    nodeTypeField,
    nodeNameField: field(nodeFields, 'name'),
    nodeIdField: field(nodeFields, 'id'),
    nodeSelfSizeField: field(nodeFields, 'self_size'),
    nodeEdgeCountField: field(nodeFields, 'edge_count'),
    nodeDetachednessField: nodeFields.indexOf('detachedness'),
    edgeTypeField,
    edgeNameField: field(edgeFields, 'name_or_index'),
    edgeToField: field(edgeFields, 'to_node'),
    nodeCount,
    edgeCount,
    rootOrdinal: rootIndex / nodeFields.length,
  };
}
