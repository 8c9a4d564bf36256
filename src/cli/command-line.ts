/**
 * What a command line asks for, read before any command's module is loaded: the command's name, and whether it
 * reads heap snapshots (the read's worker then starts at once, main.ts).
 */

/** Commands that read heap snapshots (a big one on two threads, parallel-reader.ts). */
const SNAPSHOT_READERS = new Set(['inspect', 'diff', 'view']);

/** The program's own options take no value, so the first word that is not an option is the command. */
export function commandWord(argv: readonly string[]): string | undefined {
  return argv.find((arg) => !arg.startsWith('-'));
}

/** A command that reads heap snapshots, not its help. */
export function readsSnapshots(argv: readonly string[]): boolean {
  const word = commandWord(argv);
  return word !== undefined && SNAPSHOT_READERS.has(word) && !argv.includes('--help') && !argv.includes('-h');
}
