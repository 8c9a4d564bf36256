/** commander plumbing shared by the commands: repeatable flags, and the settings table's rows as options. */
import type { Command } from 'commander';
import { SOAK_SETTINGS } from '../settings/table.js';

export const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** Adds every row of the soak settings table to a command (soak and check). */
export function addSoakSettings(command: Command): Command {
  for (const setting of SOAK_SETTINGS) {
    if (setting.kind === 'list') command.option(setting.flag, setting.help, collect, []);
    else command.option(setting.flag, setting.help);
  }
  return command;
}
