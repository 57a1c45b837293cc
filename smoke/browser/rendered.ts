import type { Locator } from '@playwright/test';

/**
 * How long a page that answered 2xx may take to draw its content after the load event: a
 * client-rendered page (a single-page app's route) draws its heading by script, later.
 */
export const RENDER_WAIT_MS = 5_000;

/**
 * Whether `content` is shown on a page that answered `status`. A 2xx page is given RENDER_WAIT_MS to
 * draw it; any other answer is judged by its status, so its content is only read as it stands.
 */
export async function contentShown(content: Locator, status: number | null, waitMs: number = RENDER_WAIT_MS): Promise<boolean> {
  // waitFor's timeout 0 would mean no limit
  if (status === null || status < 200 || status > 299 || waitMs <= 0) return content.isVisible();
  return content.waitFor({ state: 'visible', timeout: Math.ceil(waitMs) }).then(
    () => true,
    () => false,
  );
}
