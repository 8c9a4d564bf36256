/**
 * The commander program of every memprobe command, built without being run: main.ts parses the command line
 * with it, and the generated reference (scripts/gen-reference.mjs) reads its commands, arguments and options.
 */
import { Command, Help, type Option } from 'commander';
import { VERSION } from '../version.js';
import { registerCheck } from './check-command.js';
import { registerDiff } from './diff-command.js';
import { registerInspect } from './inspect-command.js';
import { registerLoad } from './load-command.js';
import { registerMerge } from './merge-command.js';
import { registerProfile } from './profile-command.js';
import { registerRedact } from './redact-command.js';
import { registerSnapshot } from './snapshot-command.js';
import { registerSoak } from './soak-command.js';
import { registerView } from './view-command.js';

/** The help of a terminal at least this wide; the reference pins it so that it does not depend on a terminal. */
export const HELP_WIDTH = 120;

export interface ProgramOptions {
  /** Columns of --help; default: the terminal's, at least HELP_WIDTH. */
  readonly helpWidth?: number;
}

export function buildProgram(options: ProgramOptions = {}): Command {
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

  registerSoak(program);
  registerCheck(program);
  registerLoad(program);
  registerMerge(program);
  registerInspect(program);
  registerDiff(program);
  registerProfile(program);
  registerSnapshot(program);
  registerRedact(program);
  registerView(program);
  return program;
}
