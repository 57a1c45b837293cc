import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** What the report shows of one screenshot: a small inline thumbnail, linking the full image in the run folder. */
export interface ScreenshotView {
  readonly id: string;
  /** The full image on disk. */
  readonly file: string;
  readonly caption: string;
  /** Relative to the report (or a file URL when the screenshot lies outside the run folder). */
  readonly href: string;
  /** A data: URL of a downscaled JPEG; undefined when no browser could make one. */
  readonly thumbnail?: string;
}

/** Playwright names a retry's output folder "…-retry<n>": attempt n+1. */
export function attemptOf(file: string): number {
  const match = /-retry(\d+)$/.exec(path.basename(path.dirname(file)));
  return match === null ? 1 : Number(match[1]) + 1;
}

function hrefOf(file: string, runDir: string | undefined): string {
  if (runDir === undefined) return pathToFileURL(file).href;
  const relative = path.relative(runDir, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? pathToFileURL(file).href : relative.split(path.sep).join('/');
}

/** One entry per distinct file, captioned with its check, attempt and file name, in attempt order. */
export function screenshotViews(
  shots: readonly { readonly id: string; readonly path: string }[],
  runDir: string | undefined,
): ScreenshotView[] {
  const seen = new Set<string>();
  const unique = shots.filter((s) => !seen.has(path.resolve(s.path)) && seen.add(path.resolve(s.path)));
  return unique
    .map((s) => ({ s, attempt: attemptOf(s.path) }))
    .sort((a, b) => a.s.id.localeCompare(b.s.id) || a.attempt - b.attempt)
    .map(({ s, attempt }) => ({
      id: s.id,
      file: s.path,
      caption: `${s.id}: attempt ${attempt}${attempt > 1 ? ` (retry ${attempt - 1})` : ''}, ${path.basename(s.path)}`,
      href: hrefOf(s.path, runDir),
    }));
}

/** The screenshots with thumbnails; Chromium is loaded only when there is a screenshot to shrink. */
export async function prepareScreenshotsIfAny(
  artifacts: { readonly screenshots: readonly { readonly id: string; readonly path: string }[] } | undefined,
  runDir: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ScreenshotView[]> {
  if (artifacts === undefined || artifacts.screenshots.length === 0) return [];
  const { prepareScreenshots } = await import('./screenshots.js');
  return prepareScreenshots(artifacts.screenshots, runDir, env);
}
