/**
 * Where the time of a heap command goes: each phase (read a file, owned sizes, dominators, paths, ...) is timed,
 * with the bytes read during it. The heap code only calls `run` and `read`; what is shown (a `--verbose` line per
 * phase, a live progress line on a terminal) is the sink's business (src/cli/heap-progress.ts).
 */

export interface PhaseRecord {
  readonly name: string;
  readonly ms: number;
  /** Bytes of snapshot files read during the phase. */
  readonly bytesRead: number;
}

export interface PhaseSink {
  /** A phase begins. */
  onStart?(name: string): void;
  /** A phase ended. */
  onEnd?(record: PhaseRecord): void;
  /** `bytesRead` of `totalBytes` of the file the current phase reads. */
  onRead?(name: string, bytesRead: number, totalBytes: number): void;
}

/**
 * @example
 * ```ts
 * const phases = new Phases({ onEnd: (p) => console.error(p.name, p.ms) });
 * const snapshot = readHeapSnapshot(file, { phases });
 * inspectHeap(snapshot, { phases });
 * ```
 */
export class Phases {
  readonly records: PhaseRecord[] = [];
  private bytesRead = 0;
  private current = '';

  constructor(private readonly sink: PhaseSink = {}) {}

  /** Times `work` as the phase `name` (phases do not nest: an inner `run` is folded into the outer one). */
  run<T>(name: string, work: () => T): T {
    if (this.current !== '') return work();
    this.current = name;
    const started = performance.now();
    const bytesBefore = this.bytesRead;
    this.sink.onStart?.(name);
    try {
      return work();
    } finally {
      const record = { name, ms: performance.now() - started, bytesRead: this.bytesRead - bytesBefore };
      this.current = '';
      this.records.push(record);
      this.sink.onEnd?.(record);
    }
  }

  /** Bytes read in all phases so far. */
  get totalBytesRead(): number {
    return this.bytesRead;
  }

  /** Bytes another thread read for the current phase (no progress line for them). */
  count(bytes: number): void {
    this.bytesRead += bytes;
  }

  /** The reader moved on by `bytes` in a file of `totalBytes`, `position` bytes in. */
  read(bytes: number, position: number, totalBytes: number): void {
    this.bytesRead += bytes;
    this.sink.onRead?.(this.current, position, totalBytes);
  }
}

/** Runs `work` as a phase of `phases`, or just runs it. */
export function phase<T>(phases: Phases | undefined, name: string, work: () => T): T {
  return phases ? phases.run(name, work) : work();
}
