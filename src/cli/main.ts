/**
 * The memprobe command line: commander program, one file per command. Only the CLI sets exit codes.
 */
import { CommanderError } from 'commander';
import { EXIT } from '../errors.js';
import { reportError } from './exit.js';
import { buildProgram, commandsFor } from './program.js';

const program = await buildProgram({ commands: commandsFor(process.argv.slice(2)) });

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
