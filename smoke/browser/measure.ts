import { expect, type Page, type Response } from '@playwright/test';
import type { ImagePlacement, LoadedImage, TransferredScript, WebVitals } from '../evaluate/perf.js';

/** Records every script and image response of a page, for transfer sizes and content types. */
export function recordTransfers(
  page: Page,
): () => Promise<{ scripts: TransferredScript[]; images: (Omit<LoadedImage, 'hasIntrinsicSize'> & { absoluteUrl: string })[] }> {
  const responses: Response[] = [];
  page.on('response', (response) => {
    const type = response.request().resourceType();
    if (type === 'script' || type === 'image') responses.push(response);
  });
  return async () => {
    const measured = await Promise.all(
      responses.map(async (response) => {
        const sizes = await response
          .request()
          .sizes()
          .catch(() => undefined);
        // responseBodySize is the encoded (compressed) body: what the budget is about.
        return { response, bytes: sizes?.responseBodySize ?? 0 };
      }),
    );
    const pathOf = (url: string) => new URL(url).pathname;
    return {
      scripts: measured
        .filter((m) => m.response.request().resourceType() === 'script')
        .map((m) => ({ url: pathOf(m.response.url()), transferBytes: m.bytes })),
      images: measured
        .filter((m) => m.response.request().resourceType() === 'image')
        .map((m) => ({
          url: pathOf(m.response.url()),
          absoluteUrl: m.response.url(),
          transferBytes: m.bytes,
          contentType: m.response.headers()['content-type'] ?? '',
        })),
    };
  };
}

/** Where each <img> sits at first paint (before any scrolling) and how it asks to be loaded. */
export async function imagePlacements(page: Page): Promise<(ImagePlacement & { absoluteUrl: string; hasIntrinsicSize: boolean })[]> {
  return page.locator('img').evaluateAll((images) =>
    images.map((node) => {
      const img = node as HTMLImageElement;
      const rect = img.getBoundingClientRect();
      const style = getComputedStyle(img);
      return {
        src: new URL(img.currentSrc || img.src, location.href).pathname,
        absoluteUrl: img.currentSrc || img.src,
        belowFold: rect.top + window.scrollY >= window.innerHeight,
        loading: img.getAttribute('loading'),
        hasIntrinsicSize: (img.hasAttribute('width') && img.hasAttribute('height')) || style.aspectRatio !== 'auto',
      };
    }),
  );
}

/** Scrolls to the end so lazy images load, then waits until every image has finished (web-first, bounded). */
export async function loadEveryImage(page: Page, timeoutMs = 10_000): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await expect
    .poll(() => page.locator('img').evaluateAll((images) => images.every((i) => (i as HTMLImageElement).complete)), { timeout: timeoutMs })
    .toBe(true);
}

interface VitalsState {
  lcpMs?: number;
  cls: number;
  lastEntryAt: number;
  lastTimerAt: number;
  pendingTimers: number;
}

/**
 * Collects LCP and CLS entries from the first byte on, and counts the page's pending one-shot
 * timers (a late hero image is usually a timer or a fetch away); call before navigation.
 */
export async function observeWebVitals(page: Page, { capMs }: { capMs: number }): Promise<void> {
  await page.addInitScript((capMs) => {
    const vitals: VitalsState = { cls: 0, lastEntryAt: 0, lastTimerAt: 0, pendingTimers: 0 };
    (window as unknown as { __vorVitals: VitalsState }).__vorVitals = vitals;
    const originalSetTimeout = window.setTimeout.bind(window);
    const originalClearTimeout = window.clearTimeout.bind(window);
    const pending = new Set<number>();
    window.setTimeout = ((handler: TimerHandler, delay?: number, ...args: unknown[]) => {
      if ((delay ?? 0) > capMs || typeof handler !== 'function') return originalSetTimeout(handler, delay, ...args);
      const id: number = originalSetTimeout(() => {
        pending.delete(id);
        vitals.pendingTimers = pending.size;
        vitals.lastTimerAt = performance.now();
        (handler as (...a: unknown[]) => void)(...args);
      }, delay);
      pending.add(id);
      vitals.pendingTimers = pending.size;
      return id;
    }) as typeof window.setTimeout;
    window.clearTimeout = ((id?: number) => {
      if (id !== undefined) pending.delete(id);
      vitals.pendingTimers = pending.size;
      originalClearTimeout(id);
    }) as typeof window.clearTimeout;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) vitals.lcpMs = entry.startTime;
      vitals.lastEntryAt = performance.now();
    }).observe({ type: 'largest-contentful-paint', buffered: true });
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) {
        if (!entry.hadRecentInput) vitals.cls += entry.value;
      }
    }).observe({ type: 'layout-shift', buffered: true });
  }, capMs);
}

/**
 * Reads the vitals once the page has settled: the load event, no pending short timers, every
 * eager image complete, and no new LCP candidate for `quietMs`. Bounded by `capMs` after
 * navigation (just past the fail budget), so a late LCP is still seen as late.
 */
export async function readWebVitals(page: Page, { quietMs = 500, capMs }: { quietMs?: number; capMs: number }): Promise<WebVitals> {
  await page.waitForLoadState('load');
  await page.waitForFunction(
    ({ quietMs, capMs }) => {
      const vitals = (window as unknown as { __vorVitals: VitalsState }).__vorVitals;
      const now = performance.now();
      if (now >= capMs) return true;
      const imagesDone = [...document.images].every((i) => i.complete || i.loading === 'lazy');
      // Quiet since the last LCP candidate and the last timer: what a timer added has had time to paint.
      const quietSince = Math.max(vitals.lastEntryAt, vitals.lastTimerAt);
      return imagesDone && vitals.pendingTimers === 0 && vitals.lcpMs !== undefined && now - quietSince >= quietMs;
    },
    { quietMs, capMs },
    { timeout: capMs + 2_000, polling: 'raf' },
  );
  return page.evaluate(() => {
    const vitals = (window as unknown as { __vorVitals: VitalsState }).__vorVitals;
    return { ...(vitals.lcpMs === undefined ? {} : { lcpMs: vitals.lcpMs }), cls: vitals.cls };
  });
}
