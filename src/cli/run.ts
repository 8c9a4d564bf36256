/**
 * Runs the commander program on a command line and sets the exit code. Only the CLI sets exit codes.
 */
import { CommanderError } from './commander.js';
import { EXIT } from '../errors.js';
import { reportError } from './exit.js';
import { buildProgram, commandsFor } from './program.js';

export async function run(argv: readonly string[]): Promise<void> {
  const program = await buildProgram({ commands: commandsFor(argv.slice(2)) });
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version end with 0; every other commander error is a usage error.
      process.exitCode = error.exitCode === 0 ? EXIT.pass : EXIT.error;
    } else {
      process.exitCode = reportError(error, program.opts<{ verbose?: boolean }>().verbose ?? false);
    }
  }
}
