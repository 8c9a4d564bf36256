/**
 * Profiles inside the controlled child, through node's own inspector (no native addon).
 */
import { Session } from 'node:inspector/promises';
import { startProfiling, type ProfileFiles } from '../inspector/profiles.js';

export type { ProfileFiles } from '../inspector/profiles.js';

/** Starts the wanted profilers in this process; the returned function stops them and writes the files. */
export async function startProfiles(files: ProfileFiles): Promise<() => Promise<void>> {
  const session = new Session();
  session.connect();
  const stop = await startProfiling((method, params) => session.post(method, params), files);
  return async () => {
    await stop();
    session.disconnect();
  };
}
