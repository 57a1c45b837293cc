import { check } from '../checks.js';
import { evaluateBeforeConsent, evaluateConsentBanner, evaluateLegalPage } from '../evaluate/compliance.js';
import { test } from '../fixtures.js';
import { measured } from './landing-visit.js';
import type { LandingPage } from '../app/pages.js';
import { report } from '../outcome.js';

async function visitLegalPage(landingPage: LandingPage, link: LandingPage['privacyLink']) {
  await landingPage.open();
  if ((await link.count()) === 0) return {};
  const linkText = (await link.innerText()).trim();
  const href = (await link.getAttribute('href')) ?? '';
  const [response] = await Promise.all([landingPage.page.waitForEvent('response', (r) => r.request().isNavigationRequest()), link.click()]);
  const rendered = await landingPage.page.getByRole('heading', { level: 1 }).first().isVisible();
  return { linkText, href, status: response.status(), rendered };
}

test(
  'a privacy policy is linked from the landing page and reachable',
  check('compliance.privacy_policy'),
  async ({ landingPage }, testInfo) => {
    await report(
      testInfo,
      evaluateLegalPage('compliance.privacy_policy', 'privacy policy', '/', await visitLegalPage(landingPage, landingPage.privacyLink)),
    );
  },
);

test('terms of service are linked from the landing page and reachable', check('compliance.terms'), async ({ landingPage }, testInfo) => {
  await report(
    testInfo,
    evaluateLegalPage('compliance.terms', 'terms of service', '/', await visitLegalPage(landingPage, landingPage.termsLink)),
  );
});

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
