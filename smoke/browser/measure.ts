import { setTimeout as sleep } from 'node:timers/promises';
import { expect, type Page, type Request, type Response } from '@playwright/test';
import type { ImagePlacement, LoadedImage, TransferredScript, WebVitals } from '../evaluate/perf.js';

/** How long a script or image still arriving when the page is measured gets to finish. */
export const FINISH_GRACE_MS = 5_000;

export interface Transfers {
  readonly scripts: TransferredScript[];
  readonly images: (Omit<LoadedImage, 'hasIntrinsicSize'> & { absoluteUrl: string })[];
  /** Paths of scripts and images whose answer began but never finished: their size is unknown. */
  readonly unfinished: { readonly scripts: string[]; readonly images: string[] };
}

export type TransferType = 'script' | 'image';

/**
 * Records every script and image response of a page, for transfer sizes and content types. Only
 * finished ones are measured: Playwright's sizes() waits for the body, for ever for one that never ends.
 * Each call reads the types asked for, and waits only for those still arriving.
 */
export function recordTransfers(page: Page): (types?: readonly TransferType[]) => Promise<Transfers> {
  const responses: Response[] = [];
  const ended = new WeakSet<Request>();
  page.on('response', (response) => {
    const type = response.request().resourceType();
    if (type === 'script' || type === 'image') responses.push(response);
  });
  page.on('requestfinished', (request) => ended.add(request));
  page.on('requestfailed', (request) => ended.add(request));
  return async (types = ['script', 'image']) => {
    const pathOf = (url: string) => new URL(url).pathname;
    const wanted = responses.filter((response) => types.includes(response.request().resourceType() as TransferType));
    // One still arriving as the page is measured (a script a timer added late) is given a moment to end.
    const arriving = wanted.filter((response) => !ended.has(response.request()));
    if (arriving.length > 0) {
      const grace = new AbortController();
      await Promise.race([
        Promise.all(
          arriving.map((response) =>
            response.finished().then(
              () => ended.add(response.request()),
              () => ended.add(response.request()),
            ),
          ),
        ),
        sleep(FINISH_GRACE_MS, undefined, { signal: grace.signal }).catch(() => undefined),
      ]);
      grace.abort();
    }
    const unfinished = wanted.filter((response) => !ended.has(response.request()));
    const pathsOf = (type: string) => unfinished.filter((r) => r.request().resourceType() === type).map((r) => pathOf(r.url()));
    const measured = await Promise.all(
      wanted
        .filter((response) => ended.has(response.request()))
        .map(async (response) => {
          const sizes = await response
            .request()
            .sizes()
            .catch(() => undefined);
          // responseBodySize is the encoded (compressed) body: what the budget is about.
          return { response, bytes: sizes?.responseBodySize ?? 0 };
        }),
    );
    return {
      unfinished: { scripts: pathsOf('script'), images: pathsOf('image') },
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

/**
 * Scrolls to the end so lazy images load, then waits, at most `timeoutMs`, until every image has
 * finished (web-first). Returns the paths of those that never did.
 */
export async function loadEveryImage(page: Page, timeoutMs = 10_000): Promise<string[]> {
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  const incomplete = () =>
    page
      .locator('img')
      .evaluateAll((images) =>
        images.filter((i) => !(i as HTMLImageElement).complete).map((i) => new URL((i as HTMLImageElement).src, location.href).pathname),
      );
  await expect
    .poll(async () => (await incomplete()).length, { timeout: timeoutMs })
    .toBe(0)
    .catch(() => undefined);
  return incomplete();
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
 * Reads the vitals once the page has settled: no pending short timers, every eager image complete,
 * and no new LCP candidate for `quietMs`. Called on a page `openPage` opened, which has waited for
 * the load event (for a bounded time: a subresource that never answers holds it back for ever).
 * Bounded by `capMs` after navigation (just past the fail budget), so a late LCP is still seen as late.
 */
export async function readWebVitals(page: Page, { quietMs = 500, capMs }: { quietMs?: number; capMs: number }): Promise<WebVitals> {
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
