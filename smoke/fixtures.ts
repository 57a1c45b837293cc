import { existsSync } from 'node:fs';
import { test as base, expect } from '@playwright/test';
import type { Credentials } from '../src/core/target.js';
import { AppApi } from './app/api.js';
import { ConnectBankPage, DashboardPage, LandingPage, PaymentPage, RegisterPage, SettingsPage, SignInPage } from './app/pages.js';
import { credentialsFromEnv, saveSession } from './app/test-user-session.js';
import { newUserCredentials, publicSignupBlocked, throwawaySource, type TestUser, type ThrowawaySource } from './app/users.js';
import { landingVisitWorstCaseMs, visitLandingPage, type LandingVisit } from './browser/landing-visit.js';
import { attachCollected, attachCollectors, type Collectors } from './collectors.js';
import { readSmokeRun, type SmokeRun } from './run-config.js';

export { credentialsFromEnv };

/** The skip message ("reason: what would enable it") for flows that need the pre-provisioned test user. */
export function noCredentialsMessage(run: SmokeRun): string {
  const existing = run.users.existing;
  return existing === null
    ? 'no_credentials: this target has no pre-provisioned test user (targets[].users.existing is null); configure one to run this flow'
    : `no_credentials: set ${existing.emailEnv} and ${existing.passwordEnv} to run this flow`;
}

interface WorkerFixtures {
  readonly run: SmokeRun;
  /** The configured test user, from the environment only; undefined skips the flows that need it. */
  readonly testUser: Credentials | undefined;
  /**
   * The test user's sign-in: the run's storage state (signed in once by the global setup,
   * smoke/app/test-user-session.ts), else this worker's own sign-in on first use; `refused` holds
   * the status when that sign-in was refused. Undefined without a test user.
   */
  readonly testUserSignIn: { readonly file: string } | { readonly refused: number } | undefined;
  /**
   * The signed-in storage state file (undefined without a test user). A failed sign-in fails only the
   * tests that need a session; public-page checks never ask for it.
   */
  readonly testUserSession: string | undefined;
  readonly throwaway: ThrowawaySource;
  /** The worker's one instrumented first visit to the landing page, made when first asked for (landing-visit.ts). */
  readonly sharedLandingVisit: () => Promise<LandingVisit>;
}

interface TestFixtures {
  readonly collectors: Collectors;
  /** A throwaway user (per the profile's users.throwaway), deleted afterwards; the test skips when there is none. */
  readonly freshUser: TestUser;
  /** The same user, already signed in in the test's browser context. */
  readonly signedInFreshUser: TestUser;
  /** Credentials for a user the test itself signs up through the public form; removed afterwards when possible. */
  readonly unregisteredUser: TestUser;
  readonly api: AppApi;
  readonly landingPage: LandingPage;
  readonly loginPage: SignInPage;
  readonly signupPage: RegisterPage;
  readonly dashboardPage: DashboardPage;
  readonly linkBankPage: ConnectBankPage;
  readonly billingPage: PaymentPage;
  readonly settingsPage: SettingsPage;
  /**
   * The instrumented first visit to the landing page that the perf.*, page.mixed_content and consent
   * checks judge. The test that makes it gets time for its worst case on top of its own timeout.
   */
  readonly landingVisit: () => Promise<LandingVisit>;
}

// Playwright reads a fixture's dependencies from its destructuring pattern, so a fixture without any needs `{}`.
/* eslint-disable no-empty-pattern */
export const test = base.extend<TestFixtures, WorkerFixtures>({
  run: [async ({}, use) => use(readSmokeRun(process.env)), { scope: 'worker' }],
  testUser: [async ({}, use) => use(credentialsFromEnv(process.env)), { scope: 'worker' }],
  testUserSignIn: [
    async ({ run, testUser, playwright }, use, workerInfo) => {
      if (testUser === undefined) return use(undefined);
      if (existsSync(run.authFile)) return use({ file: run.authFile });
      // The global setup's sign-in failed: this worker tries again, so the tests that need it say why.
      const api = await AppApi.open(playwright, run);
      try {
        const response = await api.login(testUser);
        if (response.status() >= 400) return await use({ refused: response.status() });
        const file = run.authFile.replace(/\.json$/, `-${workerInfo.workerIndex}.json`);
        await saveSession(api.request, file);
        await use({ file });
      } finally {
        await api.dispose();
      }
    },
    { scope: 'worker' },
  ],
  testUserSession: [
    async ({ run, testUserSignIn }, use) => {
      if (testUserSignIn === undefined) return use(undefined); // the tests that need it skip, saying why
      if ('refused' in testUserSignIn) {
        const where = new URL(run.loginUrl).pathname;
        expect(
          testUserSignIn.refused,
          `the test user's sign-in at ${where} (app.api.login) answered ${testUserSignIn.refused}`,
        ).toBeLessThan(400);
      }
      await use('file' in testUserSignIn ? testUserSignIn.file : undefined);
    },
    { scope: 'worker' },
  ],
  throwaway: [async ({ run, playwright }, use) => use(throwawaySource(run, playwright, process.env)), { scope: 'worker' }],
  sharedLandingVisit: [
    async ({ browser, run }, use) => {
      let visit: Promise<LandingVisit> | undefined;
      await use(() => (visit ??= visitLandingPage(browser, run)));
    },
    { scope: 'worker' },
  ],
  collectors: [
    async ({ context, run }, use, testInfo) => {
      const collectors = attachCollectors(context, new URL(run.baseUrl).origin);
      await use(collectors);
      await attachCollected(testInfo, collectors);
    },
    { auto: true },
  ],
  api: async ({ playwright, run }, use) => {
    const api = await AppApi.open(playwright, run);
    await use(api);
    await api.dispose();
  },
  freshUser: async ({ throwaway }, use, testInfo) => {
    if (!throwaway.available) {
      testInfo.skip(true, `no_throwaway_user: ${throwaway.why}`);
      return;
    }
    const user = await throwaway.create();
    try {
      await use(user);
    } finally {
      await throwaway.remove(user).catch(() => undefined);
    }
  },
  signedInFreshUser: async ({ freshUser, page, run }, use) => {
    const api = AppApi.over(page.request, run);
    const response = await api.login(freshUser);
    expect(response.status(), `signing the throwaway user in (app.api.login) answered ${response.status()}`).toBeLessThan(400);
    await use(freshUser);
  },
  unregisteredUser: async ({ run, throwaway }, use, testInfo) => {
    const blocked = publicSignupBlocked(run);
    testInfo.skip(blocked !== undefined, `not_allowed: ${blocked}`);
    const user = newUserCredentials();
    await use(user);
    if (throwaway.available) await throwaway.remove(user).catch(() => undefined);
  },
  landingVisit: async ({ sharedLandingVisit, run }, use, testInfo) => {
    testInfo.setTimeout(testInfo.timeout + landingVisitWorstCaseMs(run));
    await use(sharedLandingVisit);
  },
  landingPage: async ({ page, run }, use) => use(new LandingPage(page, run.app)),
  loginPage: async ({ page, run }, use) => use(new SignInPage(page, run.app)),
  signupPage: async ({ page, run }, use) => use(new RegisterPage(page, run.app)),
  dashboardPage: async ({ page, run }, use) => use(new DashboardPage(page, run.app)),
  linkBankPage: async ({ page, run }, use) => use(new ConnectBankPage(page, run.app)),
  billingPage: async ({ page, run }, use) => use(new PaymentPage(page, run.app)),
  settingsPage: async ({ page, run }, use) => use(new SettingsPage(page, run.app)),
});

/* eslint-enable no-empty-pattern */

/**
 * Tests whose every context opens signed in as the pre-provisioned test user. Only these depend on its
 * sign-in, so a failed sign-in turns only them red.
 */
export const signedInTest = test.extend({
  storageState: async ({ run, testUserSession }, use, testInfo) => {
    testInfo.skip(testUserSession === undefined, noCredentialsMessage(run));
    await use(testUserSession);
  },
});

export { expect };
