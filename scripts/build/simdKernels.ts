// Compiles src/ml/kernels/simd/simdKernels.as and the kernels it imports from simd/as/
// (AssemblyScript) into the two binaries the training workers instantiate, and writes them as base64
// into simdKernelsBinary.generated.ts, so the bundle, the workers and Node load them alike with no
// fetch. Run `npm run kernels:build` after editing the
// source; simdKernels.test.ts recompiles and fails when the committed bytes differ.
//
// Two variants of one source: tfjs-wasm's memory is a plain Memory in its single-threaded build and
// a SharedArrayBuffer-backed one (maximum 65,536 pages) in its threaded build, and an imported
// memory's type must match (shared, and a maximum at least the real one's).
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const simdDirectory = `${root}src/ml/kernels/simd/`;
export const simdSourcePath = `${simdDirectory}simdKernels.as`;
/** The kernels' files beside the entry, one per kernel, which it imports (`./as/attention`, …). */
const simdPartsDirectory = 'as/';
export const simdBinaryModulePath = `${root}src/ml/kernels/simd/simdKernelsBinary.generated.ts`;

export interface SimdBinaries {
  unshared: Uint8Array;
  shared: Uint8Array;
}

// -O3 without asserts or an abort import: the kernels trust their callers' sizes (checked in
// TypeScript), and the only import must be the memory. Runtime "stub": nothing is allocated.
// Shrink level 1, not 0: at 0 AssemblyScript's Math.exp uses a lookup table, a data segment that
// instantiating the module would write into tfjs's heap (at address 1,024); at 1 it is table-free.
const commonOptions = [
  '--optimizeLevel',
  '3',
  '--shrinkLevel',
  '1',
  '--noAssert',
  '--runtime',
  'stub',
  '--use',
  'abort=',
  '--importMemory',
  '--enable',
  'simd',
  '--initialMemory',
  '1',
];
const sharedOptions = ['--sharedMemory', '--maximumMemory', '65536', '--enable', 'threads'];

/** The part of assemblyscript/asc's API used here. Typed locally and imported through a variable:
 *  its own declarations add a global `require` that breaks type checks elsewhere (svelte-check). */
interface AssemblyScriptCompiler {
  main(
    argv: string[],
    options: {
      readFile: (name: string) => string | null;
      writeFile: (name: string, contents: Uint8Array | string) => void;
      listFiles: () => string[];
    },
  ): Promise<{ error: Error | null; stderr: { toString(): string } }>;
}

const compilerModule = 'assemblyscript/asc';

/** The compiler, or null where it is not installed (a production-only install). */
export async function assemblyScriptCompiler(): Promise<AssemblyScriptCompiler | null> {
  try {
    return (await import(/* @vite-ignore */ compilerModule)) as AssemblyScriptCompiler;
  } catch {
    return null;
  }
}

/** The sources by the names asc asks for: the entry as `simdKernels.ts`, each part as `as/NAME.ts`
 *  (asc accepts no extension but .ts; the files are .as so the app's TypeScript tools skip them). */
export type SimdSources = ReadonlyMap<string, string>;

async function compileVariant(sources: SimdSources, extra: readonly string[]): Promise<Uint8Array> {
  const asc = await assemblyScriptCompiler();
  if (!asc)
    throw new Error(
      'simd kernels: the AssemblyScript compiler (devDependency assemblyscript) is not installed',
    );
  let binary: Uint8Array | null = null;
  // the sources are handed over from memory and the binary is taken from memory too: nothing is
  // read or written on disk during compilation
  const result = await asc.main(
    ['simdKernels.ts', '--outFile', 'simdKernels.wasm', ...commonOptions, ...extra],
    {
      readFile: (name) => sources.get(name) ?? null,
      writeFile: (name, contents) => {
        if (name === 'simdKernels.wasm' && contents instanceof Uint8Array) binary = contents;
      },
      listFiles: () => [],
    },
  );
  if (result.error || !binary) {
    throw new Error(
      `simd kernels: compilation failed: ${result.error?.message}\n${result.stderr.toString()}`,
    );
  }
  return binary;
}

/** The entry and every `as/*.as` part, read from disk. */
export async function readSimdSources(): Promise<SimdSources> {
  const sources = new Map([['simdKernels.ts', await readFile(simdSourcePath, 'utf8')]]);
  for (const file of await readdir(simdDirectory + simdPartsDirectory)) {
    if (!file.endsWith('.as')) continue;
    const text = await readFile(simdDirectory + simdPartsDirectory + file, 'utf8');
    sources.set(simdPartsDirectory + file.replace(/\.as$/, '.ts'), text);
  }
  return sources;
}

export async function compileSimdKernels(sources?: SimdSources): Promise<SimdBinaries> {
  const files = sources ?? (await readSimdSources());
  return {
    unshared: await compileVariant(files, []),
    shared: await compileVariant(files, sharedOptions),
  };
}

const toBase64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

export function binaryModuleText(binaries: SimdBinaries): string {
  return [
    '// Generated by `npm run kernels:build` (scripts/build/simdKernels.ts) from simdKernels.as: do not edit.',
    '// simdKernels.test.ts recompiles the source and checks these bytes.',
    // laid out as prettier lays out a long string constant, so `prettier --check` passes
    `export const simdKernelsUnshared =\n  '${toBase64(binaries.unshared)}';`,
    `export const simdKernelsShared =\n  '${toBase64(binaries.shared)}';`,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const binaries = await compileSimdKernels();
  await writeFile(simdBinaryModulePath, binaryModuleText(binaries));
  console.log(
    `simd kernels: ${binaries.unshared.length} B (unshared), ${binaries.shared.length} B (shared) → ${simdBinaryModulePath}`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
