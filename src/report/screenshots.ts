import { existsSync, readFileSync } from 'node:fs';
import type { Browser } from '@playwright/test';
import { withChromium } from './browser.js';
import { screenshotViews, type ScreenshotView } from './screenshot-views.js';

const THUMBNAIL_WIDTH = 240;
const THUMBNAIL_MAX_HEIGHT = 240;
/** Inline thumbnails stop here (about 10 of them), so a run with many failing flows still gives a small report. */
export const THUMBNAIL_BUDGET_BYTES = 150_000;

async function thumbnailOf(browser: Browser, file: string): Promise<string | undefined> {
  if (!existsSync(file)) return undefined;
  const type = /\.jpe?g$/i.test(file) ? 'image/jpeg' : 'image/png';
  const page = await browser.newPage({ viewport: { width: THUMBNAIL_WIDTH, height: THUMBNAIL_MAX_HEIGHT } });
  try {
    await page.setContent(
      `<body style="margin:0"><img style="display:block;width:${THUMBNAIL_WIDTH}px" src="data:${type};base64,${readFileSync(file).toString('base64')}"></body>`,
    );
    await page.locator('img').evaluate((img: HTMLImageElement) => img.decode());
    const height = Math.min(THUMBNAIL_MAX_HEIGHT, await page.locator('img').evaluate((img: HTMLImageElement) => img.height));
    const jpeg = await page.screenshot({
      type: 'jpeg',
      quality: 50,
      clip: { x: 0, y: 0, width: THUMBNAIL_WIDTH, height: Math.max(1, height) },
    });
    return `data:image/jpeg;base64,${jpeg.toString('base64')}`;
  } finally {
    await page.close();
  }
}

/**
 * The report's screenshots, each with a downscaled thumbnail (one Chromium for all of them).
 * Without a browser the views keep their links and the report says the image is in the folder.
 */
export async function prepareScreenshots(
  shots: readonly { readonly id: string; readonly path: string }[],
  runDir: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<ScreenshotView[]> {
  const views = screenshotViews(shots, runDir);
  if (views.length === 0) return [];
  try {
    return await withChromium(env, async (browser) => {
      const out: ScreenshotView[] = [];
      let spent = 0;
      for (const view of views) {
        const thumbnail = spent >= THUMBNAIL_BUDGET_BYTES ? undefined : await thumbnailOf(browser, view.file).catch(() => undefined);
        spent += thumbnail?.length ?? 0;
        out.push(thumbnail === undefined ? view : { ...view, thumbnail });
      }
      return out;
    });
  } catch {
    return views;
  }
}
