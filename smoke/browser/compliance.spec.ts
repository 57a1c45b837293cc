import type { Page } from '@playwright/test';
import { check } from '../checks.js';
import { evaluateBeforeConsent, evaluateConsentBanner, evaluateLegalPage, type LegalPageVisit } from '../evaluate/compliance.js';
import { test } from '../fixtures.js';
import { measured, type LandingVisit, type ShownLink } from './landing-visit.js';
import type { LandingPage } from '../app/pages.js';
import { report } from '../outcome.js';

/** A link that only script can follow (no href, "#", "javascript:"): clicked on a fresh landing page, as a visitor would. */
async function clickLegalLink(landingPage: LandingPage, link: LandingPage['privacyLink'], shown: ShownLink): Promise<LegalPageVisit> {
  await landingPage.open();
  const [response] = await Promise.all([landingPage.page.waitForEvent('response', (r) => r.request().isNavigationRequest()), link.click()]);
  const rendered = await landingPage.page.getByRole('heading', { level: 1 }).first().isVisible();
  return { ...shown, status: response.status(), rendered };
}

/** The link the shared landing visit read, followed in this test's own page (no second landing load). */
async function followLegalLink(
  page: Page,
  landingPage: LandingPage,
  link: LandingPage['privacyLink'],
  visit: LandingVisit,
  part: LandingVisit['legalLinks']['privacy'],
): Promise<LegalPageVisit> {
  const shown = measured(part);
  if (shown === undefined) return {};
  const target = URL.canParse(shown.href, visit.finalUrl) ? new URL(shown.href, visit.finalUrl) : undefined;
  const samePage = target !== undefined && target.href.split('#')[0] === visit.finalUrl.split('#')[0];
  if (target === undefined || !/^https?:$/.test(target.protocol) || samePage) return clickLegalLink(landingPage, link, shown);
  const response = await page.goto(target.href);
  const rendered = await page.getByRole('heading', { level: 1 }).first().isVisible();
  return { ...shown, status: response?.status() ?? null, rendered };
}

test(
  'a privacy policy is linked from the landing page and reachable',
  check('compliance.privacy_policy'),
  async ({ landingVisit, landingPage, page, run }, testInfo) => {
    const visit = await landingVisit();
    const followed = await followLegalLink(page, landingPage, landingPage.privacyLink, visit, visit.legalLinks.privacy);
    await report(testInfo, evaluateLegalPage('compliance.privacy_policy', 'privacy policy', run.app.pages.landing, followed));
  },
);

test(
  'terms of service are linked from the landing page and reachable',
  check('compliance.terms'),
  async ({ landingVisit, landingPage, page, run }, testInfo) => {
    const visit = await landingVisit();
    const followed = await followLegalLink(page, landingPage, landingPage.termsLink, visit, visit.legalLinks.terms);
    await report(testInfo, evaluateLegalPage('compliance.terms', 'terms of service', run.app.pages.landing, followed));
  },
);

// The two consent checks judge the instrumented first visit to the landing page (landing-visit.ts).
test('a first-time visitor sees a cookie consent banner', check('compliance.cookie_consent'), async ({ landingVisit }, testInfo) => {
  const { consentBanner } = await landingVisit();
  await report(testInfo, evaluateConsentBanner('/', consentBanner));
});

test(
  'no analytics and no non-essential cookies before consent',
  check('compliance.cookies_before_consent'),
  async ({ landingVisit, run }, testInfo) => {
    const { beforeConsent } = await landingVisit();
    const essential = [...run.app.legal.essentialCookies, ...(run.sessionCookie === undefined ? [] : [run.sessionCookie])];
    await report(testInfo, evaluateBeforeConsent(run.app.pages.landing, measured(beforeConsent), essential));
  },
);
