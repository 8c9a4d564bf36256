/**
 * The memprobe command line: commander program, one file per command. Only the CLI sets exit codes.
 */
import { Command, CommanderError, Help, type Option } from 'commander';
import { EXIT } from '../errors.js';
import { VERSION } from '../version.js';
import { reportError } from './exit.js';
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
    helpWidth: Math.max(process.stdout.columns ?? 0, 120),
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

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and --version end with 0; every other commander error is a usage error.
    process.exitCode = error.exitCode === 0 ? EXIT.pass : EXIT.error;
  } else {
    process.exitCode = reportError(error, program.opts<{ verbose?: boolean }>().verbose ?? false);
  }
}
