/**
 * Finds and loads the config file: `--config FILE`, or memprobe.config.mjs / .js / .json in the
 * current folder. Probe paths (in `probes` and `suites`), `outDir`, `history`, `target` and a load's `scenario` and
 * `target` are relative to the file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, UsageError } from '../errors.js';
import { validateConfig, type ValidConfig } from './validate.js';
import { SCRIPT_EXTENSION } from '../constants.js';

export const CONFIG_NAMES = ['memprobe.config.mjs', 'memprobe.config.js', 'memprobe.config.json'];

export interface LoadedConfig extends ValidConfig {
  readonly file: string;
}

async function readConfig(file: string): Promise<unknown> {
  if (extname(file) === '.json') {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as unknown;
    } catch (error) {
      throw new UsageError(`${file}: not valid JSON (${(error as Error).message})`);
    }
  }
  try {
    const module = (await import(pathToFileURL(file).href)) as { default?: unknown };
    return module.default;
  } catch (error) {
    throw new UsageError(`${file}: could not be loaded (${(error as Error).message.split('\n')[0]})`);
  }
}

/** Loads `explicit` or the first config file found in `cwd`; undefined when there is none. */
export async function loadConfig(cwd: string, explicit?: string): Promise<LoadedConfig | undefined> {
  let file: string | undefined;
  if (explicit !== undefined) {
    file = resolve(cwd, explicit);
    if (!existsSync(file)) throw new UsageError(`no config file at ${file}`);
  } else {
    file = CONFIG_NAMES.map((name) => resolve(cwd, name)).find((candidate) => existsSync(candidate));
    if (!file) return undefined;
  }
  const { config, problems } = validateConfig(await readConfig(file));
  if (problems.length > 0) throw new ConfigError(problems, file);
  const base = dirname(file);
  const probeOrFile = (p: string): string =>
    p.includes('/') || p.includes('\\') || SCRIPT_EXTENSION.test(p) ? resolve(base, p) : p;
  const path = (p: string | undefined): string | undefined => (p === undefined ? undefined : resolve(base, p));
  const suites = Object.fromEntries(
    Object.entries(config.suites).map(([name, probes]) => [name, probes.map(probeOrFile)]),
  );
  return {
    ...config,
    probes: config.probes?.map(probeOrFile),
    suites,
    outDir: path(config.outDir),
    history: path(config.history),
    target: path(config.target),
    // A drive module is a path; a drive URL stays as written.
    programs: config.programs.map((p) => ({
      ...p,
      drive: p.drive !== undefined && !/^https?:\/\//.test(p.drive) ? path(p.drive) : p.drive,
    })),
    loads: config.loads.map((l) => ({ ...l, scenario: path(l.scenario), target: path(l.target) })),
    file,
  };
}
