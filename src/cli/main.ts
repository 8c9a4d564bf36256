/**
 * The memprobe command line: commander program, one file per command. Only the CLI sets exit codes.
 */
import { CommanderError } from 'commander';
import { EXIT } from '../errors.js';
import { reportError } from './exit.js';
import { startReadWorker } from '../heap/read-worker.js';
import { buildProgram, commandsFor, readsSnapshots } from './program.js';

const args = process.argv.slice(2);
// The read's thread starts while the command's modules load, not after (~30 ms off reading a 100 MB snapshot).
if (readsSnapshots(args)) startReadWorker();
const program = await buildProgram({ commands: commandsFor(args) });

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
