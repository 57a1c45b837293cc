/**
 * `npm run build`: compiles the TypeScript that the CLI runs into dist/, one JavaScript file (and
 * its source map) per source file, in the same folder layout, so relative imports and
 * `new URL('./templates', import.meta.url)` resolve in dist/ as they do in the sources. Files a
 * module reads from disk beside itself (report templates, the target's vendor SDK files) are copied.
 * Not compiled: tests (they run from the sources through tsx) and Playwright specs (Playwright's
 * own loader runs smoke/ from the sources). load/k6/ is compiled for the modules the CLI shares
 * with the k6 script; k6 itself runs the sources.
 */
import { copyFileSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = path.join(ROOT, 'dist');
/** Beside dist/ (so the source maps' relative paths hold after the rename), ignored like dist/. */
const scratchDir = (kind: 'next' | 'old'): string => path.join(ROOT, `.dist-${kind}-${process.pid}`);
const SOURCE_DIRS = ['src', 'probes', 'smoke', 'load', 'target'];
const SKIPPED_DIRS = new Set(['node_modules']);
const NOT_COMPILED = /\.(test|spec)\.ts$|\.d\.ts$/;
/** Documentation beside the code; everything else that is not TypeScript is a runtime asset. */
const NOT_AN_ASSET = /\.(md|ts)$/;

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
      bundle: false,
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
