/**
 * commander, loaded with `require`: it is a CommonJS package, and an `import` of one first has Node scan its source
 * for the names it exports (~10 ms of every start on our 2-core machine: 22 ms by `import`, 13 ms by `require`).
 */
import { createRequire } from 'node:module';

type Commander = typeof import('commander');
const commander = createRequire(import.meta.url)('commander') as Commander;

export const { Command, CommanderError, Help } = commander;
export type Command = import('commander').Command;
export type CommanderError = import('commander').CommanderError;
export type Help = import('commander').Help;
