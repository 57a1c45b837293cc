import type { LandingPage } from '../app/pages.js';
import type { LegalPageVisit } from '../evaluate/compliance.js';
import type { LandingVisit, ShownLink } from './landing-visit.js';

/** A link that only script can follow (no href, "#", "javascript:"): clicked on a fresh landing page, as a visitor would. */
async function clickLegalLink(landingPage: LandingPage, link: LandingPage['privacyLink'], shown: ShownLink): Promise<LegalPageVisit> {
  await landingPage.open();
  const [response] = await Promise.all([landingPage.page.waitForEvent('response', (r) => r.request().isNavigationRequest()), link.click()]);
  const rendered = await landingPage.page.getByRole('heading', { level: 1 }).first().isVisible();
  return { ...shown, status: response.status(), rendered };
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
  const response = await page.goto(target.href);
  const rendered = await page.getByRole('heading', { level: 1 }).first().isVisible();
  return { ...shown, status: response?.status() ?? null, rendered };
}
