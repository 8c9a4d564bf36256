/**
 * What both module-hook flavours share: which files are TypeScript, the `./x.js` -> `./x.ts` and `memprobe`
 * fallbacks of resolution, and transpiling with the optional `typescript` package.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const TS_FILE = /\.(c|m)?ts$/;
/** Where `memprobe` resolves when the probe's own project does not have it installed. */
export const SELF_ENTRY = new URL('../index.js', import.meta.url).href;
/** Query marking a TypeScript file to be transpiled rather than stripped by Node. */
export const TRANSPILE_QUERY = 'memprobe-transpile';

/** What to try when resolution failed: `memprobe` itself, or the `.ts` twin of a `.js` import from a `.ts` file. */
export function fallbackSpecifier(specifier: string, parentURL: string | undefined): string | null {
  if (specifier === 'memprobe') return SELF_ENTRY;
  const fromTs = TS_FILE.test(parentURL?.split('?')[0] ?? '');
  if (fromTs && /\.(c|m)?js$/.test(specifier)) return specifier.replace(/js$/, 'ts');
  return null;
}

type TypeScript = typeof import('typescript');
let typescript: TypeScript | null | undefined;

/** The `typescript` package (an optional peer), or null when it is not installed. Loaded once. */
export function loadTypeScript(): TypeScript | null {
  if (typescript === undefined) {
    try {
      typescript = createRequire(import.meta.url)('typescript') as TypeScript;
    } catch {
      typescript = null;
    }
  }
  return typescript;
}

/** A file URL's path without the query (`?memprobe-transpile`, `?memprobe-retry`). */
export function urlPath(url: string): string {
  return url.startsWith('file:') ? fileURLToPath(url.split('?')[0]!) : '';
}

/** Transpiles one TypeScript module to JavaScript (ES module, or CommonJS for `.cts`). */
export function transpile(
  ts: TypeScript,
  source: string,
  path: string,
): { format: 'module' | 'commonjs'; source: string } {
  const commonjs = path.endsWith('.cts');
  const output = ts.transpileModule(source, {
    fileName: path,
    compilerOptions: {
      module: commonjs ? ts.ModuleKind.CommonJS : ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      sourceMap: false,
      inlineSourceMap: true,
      esModuleInterop: true,
    },
  });
  return { format: commonjs ? 'commonjs' : 'module', source: output.outputText };
}
