/**
 * What a load is asked to run: the mode, a scenario's operations, the thresholds to judge it by, and the plan
 * the generator process runs. Imports nothing, so the options, both processes and the analysis can share it.
 * Times are milliseconds, rates are per second.
 */

/** open: requests at intended times (--rate); closed: users sending back to back (--users); ws: WebSocket fan-out. */
export type LoadMode = 'open' | 'closed' | 'ws';

/** One weighted HTTP operation of a scenario (a plain --url is one operation). */
export interface OperationSpec {
  readonly name: string;
  readonly method: string;
  /** Path and query; `{user}`, `{i}`, `{rand}` and captured names in braces are filled in per request. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Serialized body (templates allowed), or null for none. */
  readonly body: string | null;
  readonly weight: number;
  /** Variables taken from a JSON response (top-level field) and kept per user: `{ nid: 'id' }`. */
  readonly capture: Readonly<Record<string, string>>;
}

/** Requests sent once per scenario user before the load starts (create the user, seed data). */
export interface ScenarioSpec {
  readonly name: string;
  /** How many distinct `{user}` ids exist: `u1` .. `uN` (prefixed with the run id). */
  readonly users: number;
  readonly setup: readonly OperationSpec[];
  readonly operations: readonly OperationSpec[];
}

/** What the generator process runs. */
export interface GeneratorPlan {
  readonly mode: LoadMode;
  /** http://host:port of the HTTP target (also the broadcast trigger in ws mode); null for passive ws. */
  readonly origin: string | null;
  readonly scenario: ScenarioSpec;
  /** Open model: requests per second (ws mode: broadcasts per second; 0 = passive). */
  readonly rate: number;
  /** Closed model: concurrent users per step. */
  readonly users: readonly number[];
  readonly thinkMs: number;
  readonly warmupMs: number;
  /** Measured time of each step (open and ws: one step). */
  readonly stepMs: number;
  /** Most sockets to the HTTP target (open model); ws mode: WebSocket clients. */
  readonly connections: number;
  /**
   * Open model: open all `connections` before the first send and use them in turn, so the target holds a
   * constant number of sockets (a program under soak counts its handles). Otherwise they open as needed.
   */
  readonly fixedConnections: boolean;
  readonly timeoutMs: number;
  /** ws mode: the WebSocket URL, `{user}`/`{i}` filled in per client. */
  readonly wsUrl: string | null;
  /** ws mode: path POSTed to trigger a broadcast, or null when the server broadcasts on its own. */
  readonly broadcastPath: string | null;
  readonly seed: number;
  /** Prefix of the user ids of this run, so two runs against one server do not share users. */
  readonly runId: string;
}

export type ThresholdMetric =
  | 'p50'
  | 'p90'
  | 'p95'
  | 'p99'
  | 'p999'
  | 'max'
  | 'mean'
  | 'errors'
  | 'throughput'
  | 'knee'
  | 'connectAvg'
  | 'connectP99'
  | 'connectSuccess'
  | 'lastClientP99'
  | 'lastClientMax';

export interface ThresholdSpec {
  /** As typed, e.g. `p95<500ms`. */
  readonly text: string;
  readonly metric: ThresholdMetric;
  readonly op: '<' | '>';
  /** ms, 0..1 share, per second, or users (knee). */
  readonly limit: number;
}
