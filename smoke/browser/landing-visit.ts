import { expect, type Browser, type Page } from '@playwright/test';
import { LandingPage } from '../app/pages.js';
import type { ImagePlacement, LoadedImage, TransferredScript, WebVitals } from '../evaluate/perf.js';
import type { SmokeRun } from '../run-config.js';
import { FINISH_GRACE_MS, imagePlacements, loadEveryImage, observeWebVitals, readWebVitals, recordTransfers } from './measure.js';

type Placement = ImagePlacement & { absoluteUrl: string; hasIntrinsicSize: boolean };

/** A part of the visit that could not be measured: only the checks that need it fail, with this error. */
export type Measured<T> = { readonly value: T } | { readonly error: Error };

/** A link as the landing page shows it; undefined when the page has none. */
export interface ShownLink {
  readonly linkText: string;
  readonly href: string;
}

/**
 * One first visit to the landing page, instrumented for every check that judges it (perf.bundle_size,
 * perf.images, perf.lazy_loading, perf.web_vitals, page.mixed_content, compliance.cookie_consent,
 * compliance.cookies_before_consent, and the legal links that compliance.privacy_policy and
 * compliance.terms then follow): each used to load the page itself, nine loads where one shows the
 * same. The visitor is a first-time one (a new context) and never answers the consent banner.
 * In order, so that no measurement disturbs another: Core Web Vitals once the page settles, before
 * anything scrolls (scrolling ends LCP); then the consent banner, where the images sit at first
 * paint, the legal links and which scripts came; then a scroll to the end so that lazy images load,
 * and their transfers.
 */
export interface LandingVisit {
  readonly finalUrl: string;
  readonly vitals: Measured<WebVitals>;
  /** Images as first painted, before any scrolling. */
  readonly placementsAtLoad: readonly Placement[];
  /** The privacy policy and terms links (app.legal.privacyLink, app.legal.termsLink), read, not followed. */
  readonly legalLinks: { readonly privacy: Measured<ShownLink | undefined>; readonly terms: Measured<ShownLink | undefined> };
  readonly scripts: readonly TransferredScript[];
  /** Paths of scripts and images that never finished loading within the visit: their sizes are unknown. */
  readonly unfinished: { readonly scripts: readonly string[]; readonly images: readonly string[] };
  /** Every image once all have loaded (lazy ones included), with whether its markup sizes it. */
  readonly images: Measured<LoadedImage[]>;
  /** http: URLs the page asked for, Chromium reported as mixed content, or its markup references. */
  readonly insecureUrls: readonly string[];
  /** The consent banner as the first-time visitor sees it (waited for up to 3 s after the page settled). */
  readonly consentBanner: { readonly visible: boolean; readonly text?: string };
  /** What happened while the banner stood unanswered: the cookies set and every request made, to the end of the visit. */
  readonly beforeConsent: Measured<{ readonly cookies: readonly string[]; readonly requests: readonly string[] }>;
}

const BANNER_WAIT_MS = 3_000;
const IMAGES_WAIT_MS = 10_000;

/**
 * How much longer than a test's own timeout the visit may take: vitals read at their cap (which also
 * covers the bounded wait for a load event that never fires), a banner and images that never come,
 * and the grace for transfers still arriving, once when the scripts are read and once for the images.
 */
export const landingVisitWorstCaseMs = (run: SmokeRun): number =>
  run.budgets.lcpFailMs + 12_000 + BANNER_WAIT_MS + IMAGES_WAIT_MS + 2 * FINISH_GRACE_MS;

async function readLink(link: LandingPage['privacyLink']): Promise<ShownLink | undefined> {
  if ((await link.count()) === 0) return undefined;
  return { linkText: (await link.innerText()).trim(), href: (await link.getAttribute('href')) ?? '' };
}

const settle = async <T>(measure: () => Promise<T>): Promise<Measured<T>> =>
  measure().then(
    (value) => ({ value }),
    (error: unknown) => ({ error: error instanceof Error ? error : new Error(String(error)) }),
  );

function watchInsecureRequests(page: Page): string[] {
  const insecure: string[] = [];
  // The page's own navigation is not a subresource.
  page.on(
    'request',
    (request) =>
      request.url().startsWith('http:') &&
      !(request.isNavigationRequest() && request.frame() === page.mainFrame()) &&
      insecure.push(request.url()),
  );
  page.on('console', (message) => {
    const url = /Mixed Content:.*?'(http:[^']+)'/.exec(message.text())?.[1];
    if (url !== undefined) insecure.push(url);
  });
  return insecure;
}

/** Subresource URLs in the markup: Chromium upgrades or blocks mixed content, so the markup is the ground truth too. */
const referencedUrls = (page: Page): Promise<string[]> =>
  page
    .locator('img[src], script[src], link[rel=stylesheet][href], iframe[src], video[src], audio[src], source[src]')
    .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('src') ?? n.getAttribute('href') ?? ''));

export async function visitLandingPage(browser: Browser, run: SmokeRun): Promise<LandingVisit> {
  const context = await browser.newContext({ baseURL: run.baseUrl, ignoreHTTPSErrors: run.ignoreHttpsErrors, serviceWorkers: 'block' });
  try {
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    const transfers = recordTransfers(page);
    const insecure = watchInsecureRequests(page);
    // Well past the fail budget: on a busy machine a late hero can take seconds more to paint, and must still count as late.
    // A page that settles sooner is read sooner; only one still changing waits this long.
    const capMs = run.budgets.lcpFailMs + 10_000;
    await observeWebVitals(page, { capMs });
    const landing = new LandingPage(page, run.app);
    const opened = await landing.open();
    const vitals = await settle(() => readWebVitals(page, { capMs }));
    const rendered = await settle(() => expect(landing.mainHeading).toBeVisible());
    const consentBanner = await expect(landing.consentBanner)
      .toBeVisible({ timeout: BANNER_WAIT_MS })
      .then(
        async () => ({ visible: true, text: (await landing.consentBanner.innerText()).trim() }),
        () => ({ visible: false }),
      );
    const placementsAtLoad = await imagePlacements(page);
    const legalLinks = {
      privacy: await settle(() => readLink(landing.privacyLink)),
      terms: await settle(() => readLink(landing.termsLink)),
    };
    insecure.push(...(await referencedUrls(page)).filter((url) => url.startsWith('http:')));
    // Scripts only: an image still arriving is waited for below, with the images.
    const { scripts, unfinished } = await transfers(['script']);
    const unfinishedScripts = new Set(unfinished.scripts);
    // An async script that never even began to answer holds the load event without a response.
    for (const { url, resourceType } of opened.pending)
      if (resourceType === 'script' && !scripts.some((s) => s.url === new URL(url).pathname)) unfinishedScripts.add(new URL(url).pathname);
    const unfinishedImages = new Set<string>();
    const images = await settle(async () => {
      for (const path of await loadEveryImage(page, IMAGES_WAIT_MS)) unfinishedImages.add(path);
      const sized = new Map((await imagePlacements(page)).map((p) => [p.absoluteUrl, p.hasIntrinsicSize]));
      const transferred = await transfers(['image']);
      for (const path of transferred.unfinished.images) unfinishedImages.add(path);
      return transferred.images.map(({ absoluteUrl, ...image }) => ({
        ...image,
        hasIntrinsicSize: sized.get(absoluteUrl) ?? true,
      }));
    });
    const cookies = (await context.cookies()).map((c) => c.name);
    const beforeConsent = 'error' in rendered ? rendered : { value: { cookies, requests } };
    return {
      finalUrl: page.url(),
      vitals,
      placementsAtLoad,
      legalLinks,
      scripts,
      unfinished: { scripts: [...unfinishedScripts], images: [...unfinishedImages] },
      images,
      insecureUrls: insecure,
      consentBanner,
      beforeConsent,
    };
  } finally {
    await context.close();
  }
}

/** The value of a measured part, or its error thrown in the test that needed it. */
export function measured<T>(part: Measured<T>): T {
  if ('error' in part) throw part.error;
  return part.value;
}
