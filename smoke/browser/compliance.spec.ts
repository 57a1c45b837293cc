import type { TestInfo } from '@playwright/test';
import { check } from '../checks.js';
import { evaluateBeforeConsent, evaluateConsentBanner, evaluateLegalPage } from '../evaluate/compliance.js';
import { test } from '../fixtures.js';
import { measured, type LandingVisit } from './landing-visit.js';
import { followLegalLink } from './legal-links.js';
import type { LandingPage } from '../app/pages.js';
import { report } from '../outcome.js';
import type { SmokeRun } from '../run-config.js';

interface LegalPageFixtures {
  readonly landingVisit: () => Promise<LandingVisit>;
  readonly landingPage: LandingPage;
  readonly run: SmokeRun;
}

/** Playwright sets up only the fixtures a test destructures, so each test names these. */
async function judgeLegalPage(
  { landingVisit, landingPage, run }: LegalPageFixtures,
  testInfo: TestInfo,
  id: 'compliance.privacy_policy' | 'compliance.terms',
  what: string,
): Promise<void> {
  const visit = await landingVisit();
  const [link, part] =
    id === 'compliance.privacy_policy'
      ? [landingPage.privacyLink, visit.legalLinks.privacy]
      : [landingPage.termsLink, visit.legalLinks.terms];
  await report(
    testInfo,
    evaluateLegalPage(id, what, run.app.pages.landing, await followLegalLink(landingPage, link, visit, measured(part))),
  );
}

test(
  'a privacy policy is linked from the landing page and reachable',
  check('compliance.privacy_policy'),
  ({ landingVisit, landingPage, run }, testInfo) =>
    judgeLegalPage({ landingVisit, landingPage, run }, testInfo, 'compliance.privacy_policy', 'privacy policy'),
);

test(
  'terms of service are linked from the landing page and reachable',
  check('compliance.terms'),
  ({ landingVisit, landingPage, run }, testInfo) =>
    judgeLegalPage({ landingVisit, landingPage, run }, testInfo, 'compliance.terms', 'terms of service'),
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
