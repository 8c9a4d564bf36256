/**
 * Typed errors: a stable `code` for scripts and the `exitCode` the CLI ends with.
 * Only the CLI prints them and exits; the library throws.
 */

/** Exit codes memprobe documents. */
export const EXIT = {
  /** Everything passed: every budget met, no leak found, the file written. */
  pass: 0,
  /** A budget was broken, a leak was found, or no verdict could be reached. */
  fail: 1,
  /** Bad usage, a bad config or probe file, or memprobe itself failed. */
  error: 2,
  /** Interrupted by Ctrl-C / SIGINT; the partial report was written. */
  interrupted: 130,
} as const;

export class MemprobeError extends Error {
  readonly code: string;
  readonly exitCode: number;
  constructor(code: string, message: string, exitCode: number = EXIT.error, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MemprobeError';
    this.code = code;
    this.exitCode = exitCode;
  }
}

/** The command line or an option value is wrong. */
export class UsageError extends MemprobeError {
  constructor(message: string) {
    super('E_USAGE', message);
    this.name = 'UsageError';
  }
}

/** A config file or budget set has problems; `problems` lists every one of them. */
export class ConfigError extends MemprobeError {
  readonly problems: readonly string[];
  constructor(problems: readonly string[], source = 'options') {
    super('E_CONFIG', `${source}: ${problems.join('; ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** A probe file cannot be found or does not export a probe. */
export class ProbeLoadError extends MemprobeError {
  constructor(message: string) {
    super('E_PROBE', message);
    this.name = 'ProbeLoadError';
  }
}

/** `memprobe merge` refused its inputs: a missing or duplicate shard, mixed configs or commits, a bad file. */
export class MergeError extends MemprobeError {
  constructor(message: string) {
    super('E_MERGE', `merge: ${message}`);
    this.name = 'MergeError';
  }
}

/**
 * An output file (snapshot, profile, report) could not be written in full: no space left, an I/O error, a
 * read-only or forbidden folder. Names the file the user asked for, never the temporary one it was written to
 * first (that one is removed, so no partial file is left under either name).
 */
export class OutputWriteError extends MemprobeError {
  readonly file: string;
  /** What failed, e.g. `no space left on device (ENOSPC)`. */
  readonly reason: string;
  constructor(file: string, reason: string, options?: { cause?: unknown }) {
    super('E_WRITE', `cannot write ${file}: ${reason}`, EXIT.error, options);
    this.name = 'OutputWriteError';
    this.file = file;
    this.reason = reason;
  }
}

/** A heap snapshot needs more memory to analyse than the machine (or the container) has left. */
export class NotEnoughMemoryError extends MemprobeError {
  readonly neededBytes: number;
  readonly availableBytes: number;
  constructor(message: string, neededBytes: number, availableBytes: number) {
    super('E_MEMORY', message);
    this.name = 'NotEnoughMemoryError';
    this.neededBytes = neededBytes;
    this.availableBytes = availableBytes;
  }
}
