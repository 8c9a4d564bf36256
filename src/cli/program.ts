/**
 * The commander program of every memprobe command, built without being run: main.ts parses the command line
 * with it, and the generated reference (scripts/gen-reference.mjs) reads its commands, arguments and options.
 */
import type { Option } from 'commander';
import { Command, Help } from './commander.js';
import { VERSION } from '../version.js';
import { COMMANDS, knownCommand } from './command-line.js';

/**
 * The commands a command line needs: only the one invoked (loading every command's modules cost ~0.1-0.15 s of CPU
 * at each start), or all of them for the program's help, `help CMD`, and a mistyped name (commander suggests one).
 */
export function commandsFor(argv: readonly string[]): string[] {
  const word = knownCommand(argv);
  return word !== undefined ? [word] : Object.keys(COMMANDS);
}

/** The help of a terminal at least this wide; the reference pins it so that it does not depend on a terminal. */
export const HELP_WIDTH = 120;

export interface ProgramOptions {
  /** Columns of --help; default: the terminal's, at least HELP_WIDTH. */
  readonly helpWidth?: number;
  /** The commands to register (commandsFor); default: every one. */
  readonly commands?: readonly string[];
}

export async function buildProgram(options: ProgramOptions = {}): Promise<Command> {
  const program = new Command('memprobe')
    .description('Find memory leaks and measure resource use of Node.js services.')
    .version(VERSION, '-V, --version')
    .option('--verbose', 'print stack traces and the child processes output')
    // Commander's own errors become one `memprobe:` line, like every other error.
    .configureOutput({
      outputError: (text, write) =>
        write(`memprobe: ${text.replace(/^error: /, '').trim()} (memprobe --help for usage)\n`),
    })
    // The descriptions are written as lines of up to ~115 characters; re-wrapping them at 80 breaks every line.
    .configureHelp({
      helpWidth: options.helpWidth ?? Math.max(process.stdout.columns ?? 0, HELP_WIDTH),
      // Repeatable options start from an empty list, which is not worth a "(default: [])".
      optionDescription(this: Help, option: Option) {
        return Help.prototype.optionDescription.call(this, option).replace(' (default: [])', '');
      },
    })
    .exitOverride();

  const names = options.commands ?? Object.keys(COMMANDS);
  for (const register of await Promise.all(names.map((name) => COMMANDS[name]!()))) register(program);
  return program;
}
