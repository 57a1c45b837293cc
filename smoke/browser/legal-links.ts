import type { Page, Response } from '@playwright/test';
import type { LandingPage } from '../app/pages.js';
import type { LegalPageVisit } from '../evaluate/compliance.js';
import type { LandingVisit, ShownLink } from './landing-visit.js';
import { contentShown } from './rendered.js';

const REDIRECT = new Set([301, 302, 303, 307, 308]);

/** The main frame's next navigation answer that is not a redirect: where a click finally lands. */
const finalNavigationAnswer = (page: Page): Promise<Response> =>
  page.waitForEvent('response', (r) => r.request().isNavigationRequest() && r.frame() === page.mainFrame() && !REDIRECT.has(r.status()));

const headingOf = (page: Page) => page.getByRole('heading', { level: 1 }).first();

/** A link that only script can follow (no href, "#", "javascript:"): clicked on a fresh landing page, as a visitor would. */
async function clickLegalLink(landingPage: LandingPage, link: LandingPage['privacyLink'], shown: ShownLink): Promise<LegalPageVisit> {
  await landingPage.open();
  const [response] = await Promise.all([finalNavigationAnswer(landingPage.page), link.click()]);
  const status = response.status();
  return { ...shown, status, rendered: await contentShown(headingOf(landingPage.page), status) };
}

/** The link the shared landing visit read, followed in the landing page object's own page, which has not loaded the landing page: no second landing load. */
export async function followLegalLink(
  landingPage: LandingPage,
  link: LandingPage['privacyLink'],
  visit: LandingVisit,
  shown: ShownLink | undefined,
): Promise<LegalPageVisit> {
  if (shown === undefined) return {};
  const target = URL.canParse(shown.href, visit.finalUrl) ? new URL(shown.href, visit.finalUrl) : undefined;
  const samePage = target !== undefined && target.href.split('#')[0] === visit.finalUrl.split('#')[0];
  if (target === undefined || !/^https?:$/.test(target.protocol) || samePage) return clickLegalLink(landingPage, link, shown);
  const { page } = landingPage;
  // goto answers with the last response of a redirect chain
  const status = (await page.goto(target.href))?.status() ?? null;
  return { ...shown, status, rendered: await contentShown(headingOf(page), status) };
}
