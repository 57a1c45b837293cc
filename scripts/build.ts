/**
 * `npm run build`: compiles the TypeScript that the CLI runs into dist/, one JavaScript file (and
 * its source map) per source file, in the same folder layout, so relative imports and
 * `new URL('./templates', import.meta.url)` resolve in dist/ as they do in the sources. Files a
 * module reads from disk beside itself (report templates, the target's vendor SDK files) are copied.
 * The pure-JavaScript packages they use are bundled into shared chunks (dist/chunks/): `probe` then
 * opens 145 files instead of 499, and spends about 15 % less CPU (A/B of 6 alternating runs).
 * Not compiled: tests (they run from the sources through tsx) and Playwright specs (Playwright's
 * own loader runs smoke/ from the sources). load/k6/ is compiled for the modules the CLI shares
 * with the k6 script; k6 itself runs the sources.
 */
import { copyFileSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = path.join(ROOT, 'dist');
/** Beside dist/ (so the source maps' relative paths hold after the rename), ignored like dist/. */
const scratchDir = (kind: 'next' | 'old'): string => path.join(ROOT, `.dist-${kind}-${process.pid}`);
const SOURCE_DIRS = ['src', 'probes', 'smoke', 'load', 'target'];
const SKIPPED_DIRS = new Set(['node_modules']);
const NOT_COMPILED = /\.(test|spec)\.ts$|\.d\.ts$/;
/** Documentation beside the code; everything else that is not TypeScript is a runtime asset. */
const NOT_AN_ASSET = /\.(md|ts)$/;

/**
 * Packages bundled into dist/chunks/: plain JavaScript that reads no files beside itself. The rest
 * (native addons, Playwright, Sentry's instrumentation hooks, undici's WebAssembly parser, esbuild
 * itself) are loaded from node_modules as before.
 */
const BUNDLED_PACKAGES = new Set([
  'zod',
  'yaml',
  'xmlbuilder2',
  'commander',
  'marked',
  'eta',
  'jsonpath-plus',
  'picomatch',
  'fastest-levenshtein',
  'p-limit',
  'ms',
  'dotenv',
  '@secretlint/core',
  '@secretlint/secretlint-rule-pattern',
  '@secretlint/secretlint-rule-preset-recommend',
  // One instance with @secretlint/core's: probes/exposure/secrets.ts empties the profiler it fills.
  '@secretlint/profiler',
  'prom-client',
]);
const packageOf = (specifier: string): string =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');
/** CommonJS code in a chunk calls require() for Node's own modules; an ES module has none of its own. */
const BANNER = "import { createRequire as __vorCreateRequire } from 'node:module'; const require = __vorCreateRequire(import.meta.url);";

const ownModulesAndRuntimePackagesExternal: Plugin = {
  name: 'own-modules-and-runtime-packages-external',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      const fromOurs = !args.importer.includes(`${path.sep}node_modules${path.sep}`);
      if (fromOurs && (args.path.startsWith('.') || args.path.startsWith('/'))) return { path: args.path, external: true };
      if (args.path.startsWith('.') || args.path.startsWith('/')) return undefined;
      if (args.path.startsWith('node:')) return { path: args.path, external: true };
      return BUNDLED_PACKAGES.has(packageOf(args.path)) || !fromOurs ? undefined : { path: args.path, external: true };
    });
  },
};

function filesUnder(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED_DIRS.has(relative) ? [] : filesUnder(relative);
    return entry.isFile() ? [relative] : [];
  });
}

function replaceDist(next: string): void {
  const old = scratchDir('old');
  // Two builds at once: the other's dist/ may land between the renames; moving it aside again is bounded.
  for (let attempt = 1; ; attempt += 1) {
    try {
      renameSync(OUT, old);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    try {
      renameSync(next, OUT);
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (attempt >= 5 || (code !== 'ENOTEMPTY' && code !== 'EEXIST')) throw error;
    } finally {
      rmSync(old, { recursive: true, force: true });
    }
  }
}

export async function buildDist(): Promise<{ compiled: number; assets: number }> {
  const files = SOURCE_DIRS.flatMap(filesUnder);
  const sources = files.filter((f) => f.endsWith('.ts') && !NOT_COMPILED.test(f));
  const assets = files.filter((f) => !NOT_AN_ASSET.test(f));
  // Built into a fresh folder (a deleted source must not live on as a stale module) that then takes
  // dist/'s place in two renames: a CLI started meanwhile from dist/ (another shell, a test) finds a
  // whole build, never a half-written or missing one.
  const next = scratchDir('next');
  rmSync(next, { recursive: true, force: true });
  try {
    await build({
      absWorkingDir: ROOT,
      entryPoints: sources,
      outdir: next,
      outbase: ROOT,
      // Our own modules stay one file each (relative imports external); the pure-JavaScript packages
      // below are bundled into shared chunks, so a command loads a few files, not hundreds.
      bundle: true,
      splitting: true,
      chunkNames: 'chunks/[name]-[hash]',
      plugins: [ownModulesAndRuntimePackagesExternal],
      banner: { js: BANNER },
      format: 'esm',
      platform: 'node',
      target: 'node20',
      sourcemap: true,
      tsconfig: path.join(ROOT, 'tsconfig.json'),
      logLevel: 'warning',
    });
    // src/session/interrupt.ts and the target command import ../bin/startup-signals.js relative to
    // themselves; in dist/ that is dist/bin/, a copy that shares its state with bin/'s (see the file).
    for (const asset of [...assets, 'bin/startup-signals.js']) {
      mkdirSync(path.dirname(path.join(next, asset)), { recursive: true });
      copyFileSync(path.join(ROOT, asset), path.join(next, asset));
    }
    replaceDist(next);
  } finally {
    // Left only by a failed build: the good one is in dist/ by now.
    rmSync(next, { recursive: true, force: true });
  }
  return { compiled: sources.length, assets: assets.length };
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const started = performance.now();
  const { compiled, assets } = await buildDist();
  console.log(`vor-watch build: ${compiled} modules and ${assets} assets in dist/ (${Math.round(performance.now() - started)} ms)`);
}
