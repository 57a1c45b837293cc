import os from 'node:os';
import path from 'node:path';

/**
 * Where Playwright keeps the specs it compiled (PLAYWRIGHT_TRANSFORM_CACHE_DIR): the user's cache,
 * `${XDG_CACHE_HOME:-~/.cache}/vor-watch/playwright-transform`. Its default is under TMPDIR, which
 * runSmoke makes private to each run, so every run compiled the whole suite again. Keyed by each
 * file's content, so a changed spec is compiled afresh; it holds code, never a secret.
 */
export function transformCacheDir(env: NodeJS.ProcessEnv): string {
  const configured = env.PLAYWRIGHT_TRANSFORM_CACHE_DIR;
  if (configured !== undefined && configured !== '') return configured;
  const xdg = env.XDG_CACHE_HOME;
  return path.join(xdg !== undefined && xdg !== '' ? xdg : path.join(os.homedir(), '.cache'), 'vor-watch', 'playwright-transform');
}
