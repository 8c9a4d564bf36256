/**
 * Module hooks for the controlled child (registered with `module.register`):
 * transpile .ts probe files with TypeScript, accept `./x.js` imports that point at `./x.ts`,
 * and resolve `memprobe` to this package when the probe's project does not have it installed.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

interface ResolveResult { url: string; format?: string | null; shortCircuit?: boolean }
interface LoadResult { format: string; source?: string | ArrayBuffer | Uint8Array | null; shortCircuit?: boolean }
type NextResolve = (specifier: string, context: unknown) => Promise<ResolveResult>;
type NextLoad = (url: string, context: unknown) => Promise<LoadResult>;

const TS_FILE = /\.(c|m)?ts$/;
const SELF_ENTRY = new URL('../index.js', import.meta.url).href;

export async function resolve(specifier: string, context: { parentURL?: string }, next: NextResolve): Promise<ResolveResult> {
  try {
    return await next(specifier, context);
  } catch (error) {
    if (specifier === 'memprobe') return { url: SELF_ENTRY, shortCircuit: true };
    const parent = context.parentURL ?? '';
    if (TS_FILE.test(parent) && /\.(c|m)?js$/.test(specifier)) {
      return next(specifier.replace(/js$/, 'ts'), context);
    }
    throw error;
  }
}

export async function load(url: string, context: unknown, next: NextLoad): Promise<LoadResult> {
  const path = url.startsWith('file:') ? new URL(url).pathname : '';
  if (!TS_FILE.test(path)) return next(url, context);
  const ts = (await import('typescript')).default;
  const commonjs = path.endsWith('.cts');
  const source = await readFile(fileURLToPath(url), 'utf8');
  const output = ts.transpileModule(source, {
    fileName: fileURLToPath(url),
    compilerOptions: {
      module: commonjs ? ts.ModuleKind.CommonJS : ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      sourceMap: false,
      inlineSourceMap: true,
      esModuleInterop: true,
    },
  });
  return { format: commonjs ? 'commonjs' : 'module', source: output.outputText, shortCircuit: true };
}
