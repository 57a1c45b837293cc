import type { Frame, Page, Response } from '@playwright/test';
import { openPage } from '../app/open-page.js';
import type { LandingPage } from '../app/pages.js';
import type { LegalPageVisit } from '../evaluate/compliance.js';
import type { LandingVisit, ShownLink } from './landing-visit.js';
import { contentShown } from './rendered.js';

const REDIRECT = new Set([301, 302, 303, 307, 308]);

/** How long a clicked script-only link gets to lead somewhere: in this tab or a new one. */
export const CLICK_NAVIGATION_WAIT_MS = 10_000;

/** Where a click landed: a navigation answer, or an address a single-page app's router showed without one. */
type Landing = { readonly page: Page; readonly response: Response } | { readonly page: Page; readonly routedTo: string };

/** The same address, give or take a bare "#" (what a click on `href="#"` leaves behind). */
const sameAddress = (a: string, b: string) => a.replace(/#$/, '') === b.replace(/#$/, '');

/**
 * Clicks, then waits for where the click finally lands: the first navigation answer that is not a
 * redirect, in this tab's main frame or in a tab the click opened (window.open, target=_blank), or
 * a new address in this tab with no request (history.pushState or a hash route). Undefined
 * when none comes within `waitMs`. A new tab's first answer can come before the tab is announced,
 * so every navigation answer in the browser context is kept from before the click.
 */
async function clickAndLand(page: Page, click: () => Promise<void>, waitMs: number): Promise<Landing | undefined> {
  const context = page.context();
  const startUrl = page.url();
  const answers: Response[] = [];
  let opened: Page | undefined;
  let settle: (landing: Landing | undefined) => void = () => undefined;
  const landed = new Promise<Landing | undefined>((resolve) => (settle = resolve));
  const check = () => {
    for (const candidate of [page, opened]) {
      if (candidate === undefined) continue;
      const response = answers.find((r) => answered(r, candidate));
      if (response !== undefined) return settle({ page: candidate, response });
    }
  };
  const onResponse = (response: Response) => {
    if (!response.request().isNavigationRequest() || REDIRECT.has(response.status())) return;
    answers.push(response);
    check();
  };
  const onPopup = (popup: Page) => {
    if (opened !== undefined) return;
    opened = popup;
    // Its answer may come before its frame can be matched: look again once it has an address.
    popup.on('framenavigated', check);
    check();
  };
  // A navigation with a request commits after its answer (settled above); one without is a router's.
  const onNavigated = (frame: Frame) => {
    if (frame === page.mainFrame() && !sameAddress(frame.url(), startUrl)) settle({ page, routedTo: frame.url() });
  };
  context.on('response', onResponse);
  page.on('popup', onPopup);
  page.on('framenavigated', onNavigated);
  let timer: NodeJS.Timeout | undefined;
  try {
    await click();
    // The wait starts once the click is done: Playwright's wait for the link to be clickable is not part of it.
    timer = setTimeout(() => settle(undefined), waitMs);
    return await landed;
  } finally {
    clearTimeout(timer);
    context.off('response', onResponse);
    page.off('popup', onPopup);
    page.off('framenavigated', onNavigated);
    opened?.off('framenavigated', check);
  }
}

/**
 * Whether a navigation answer is `page`'s. A new tab's first request is issued before its frame
 * exists, and Playwright then refuses `frame()`: that answer is matched by the tab's address.
 */
function answered(response: Response, page: Page): boolean {
  try {
    return response.frame() === page.mainFrame();
  } catch {
    return response.url() === page.url();
  }
}

const headingOf = (page: Page) => page.getByRole('heading', { level: 1 }).first();

/**
 * A link that only script can follow (no href, "#", "javascript:"): clicked on a fresh landing page,
 * as a visitor would. Where it opens a new tab, that tab is judged, then closed. Where a client-side
 * router changes the address without a request, that address is loaded afresh and judged. A click
 * that leads nowhere within CLICK_NAVIGATION_WAIT_MS answered nothing.
 */
async function clickLegalLink(
  landingPage: LandingPage,
  link: LandingPage['privacyLink'],
  shown: ShownLink,
  waitMs: number,
): Promise<LegalPageVisit> {
  await landingPage.open();
  const landing = await clickAndLand(landingPage.page, () => link.click(), waitMs);
  if (landing === undefined) return { ...shown, status: null };
  if ('routedTo' in landing) {
    // Judged as a visitor opening that address gets it: a fresh load (not a same-document hop).
    const { page } = landingPage;
    await page.goto('about:blank');
    const status = (await openPage(page, landing.routedTo)).response?.status() ?? null;
    return { ...shown, status, rendered: await contentShown(headingOf(page), status) };
  }
  const status = landing.response.status();
  try {
    return { ...shown, status, rendered: await contentShown(headingOf(landing.page), status) };
  } finally {
    if (landing.page !== landingPage.page) await landing.page.close().catch(() => undefined);
  }
}

/** The link the shared landing visit read, followed in the landing page object's own page, which has not loaded the landing page: no second landing load. */
export async function followLegalLink(
  landingPage: LandingPage,
  link: LandingPage['privacyLink'],
  visit: LandingVisit,
  shown: ShownLink | undefined,
  clickWaitMs: number = CLICK_NAVIGATION_WAIT_MS,
): Promise<LegalPageVisit> {
  if (shown === undefined) return {};
  const target = URL.canParse(shown.href, visit.finalUrl) ? new URL(shown.href, visit.finalUrl) : undefined;
  const samePage = target !== undefined && target.href.split('#')[0] === visit.finalUrl.split('#')[0];
  if (target === undefined || !/^https?:$/.test(target.protocol) || samePage) return clickLegalLink(landingPage, link, shown, clickWaitMs);
  const { page } = landingPage;
  // goto answers with the last response of a redirect chain
  const status = (await openPage(page, target.href)).response?.status() ?? null;
  return { ...shown, status, rendered: await contentShown(headingOf(page), status) };
}
