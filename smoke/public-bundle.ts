import { existsSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const BUILTINS = new Set(builtinModules);
const requireHere = createRequire(import.meta.url);

/** A package as this package sees it: its CommonJS entry when it has one (the runner's own @playwright/test instance), else its ESM one. */
function resolvePackage(name: string): string {
  try {
    return requireHere.resolve(name);
  } catch {
    return fileURLToPath(import.meta.resolve(name));
  }
}

/**
 * `vor-watch/smoke` as one CommonJS file in `outDir`, for the team's specs wherever their folder is. A
 * folder without `"type": "module"` loads its specs with require(), which cannot follow the `.js`
 * imports of this package's TypeScript sources; one bundle loads the same from CommonJS and ESM specs.
 * Packages stay outside it, resolved from this package, so the specs share the runner's @playwright/test.
 */
export async function bundlePublicEntry(outDir: string): Promise<string> {
  const { build } = await import('esbuild');
  const entry =
    [path.join(HERE, 'public.ts'), path.join(HERE, 'public.js')].find((file) => existsSync(file)) ?? path.join(HERE, 'public.ts');
  // Under node_modules, so Playwright's loader leaves it alone: it transforms files elsewhere as ES
  // modules, and a CommonJS bundle evaluated as one fails in a "type": "module" spec folder.
  const outfile = path.join(outDir, 'node_modules', 'vor-watch-smoke', 'index.cjs');
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'silent',
    // Modules that find files relative to themselves (PROJECT_ROOT) keep doing so from the sources' place.
    define: { 'import.meta.url': JSON.stringify(pathToFileURL(entry).href) },
    plugins: [
      {
        name: 'packages-of-vor-watch',
        setup(builder) {
          builder.onResolve({ filter: /^[^./]/ }, (args) => {
            if (args.path.startsWith('node:') || BUILTINS.has(args.path)) return { path: args.path, external: true };
            return { path: resolvePackage(args.path), external: true };
          });
        },
      },
    ],
  });
  return outfile;
}
