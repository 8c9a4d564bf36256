/**
 * What a command line asks for, read before any command's module is loaded: the command's name, whether it
 * reads heap snapshots (the read's worker then starts at once, main.ts), and where its module is.
 */
import type { Command } from 'commander';

type Register = (program: Command) => void;
/** Every command, in the order of the help; each module is loaded only when its command is needed. */
export const COMMANDS: Readonly<Record<string, () => Promise<Register>>> = {
  soak: async () => (await import('./soak-command.js')).registerSoak,
  check: async () => (await import('./check-command.js')).registerCheck,
  load: async () => (await import('./load-command.js')).registerLoad,
  merge: async () => (await import('./merge-command.js')).registerMerge,
  inspect: async () => (await import('./inspect-command.js')).registerInspect,
  diff: async () => (await import('./diff-command.js')).registerDiff,
  profile: async () => (await import('./profile-command.js')).registerProfile,
  snapshot: async () => (await import('./snapshot-command.js')).registerSnapshot,
  redact: async () => (await import('./redact-command.js')).registerRedact,
  view: async () => (await import('./view-command.js')).registerView,
};

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

/** The command a command line names, when memprobe has it. */
export function knownCommand(argv: readonly string[]): string | undefined {
  const word = commandWord(argv);
  return word !== undefined && Object.hasOwn(COMMANDS, word) ? word : undefined;
}

/**
 * Starts loading the module of the command a command line names: module loading waits on file reads, so it goes on
 * while the program's own modules load. A failure is the program's to report, when it loads the same module.
 */
export function preloadCommand(argv: readonly string[]): void {
  const word = knownCommand(argv);
  if (word !== undefined) COMMANDS[word]!().catch(() => undefined);
}
