import { test as base, expect } from '@playwright/test';
import type { Credentials } from '../src/core/target.js';
import { newFreshUser, VorApi, type FreshUser } from './api.js';
import { attachCollected, attachCollectors, type Collectors } from './collectors.js';
import { BillingPage } from './pages/billing-page.js';
import { DashboardPage } from './pages/dashboard-page.js';
import { LandingPage } from './pages/landing-page.js';
import { LinkBankPage } from './pages/link-bank-page.js';
import { LoginPage } from './pages/login-page.js';
import { SettingsPage } from './pages/settings-page.js';
import { SignupPage } from './pages/signup-page.js';
import { readSmokeRun, type SmokeRun } from './run-config.js';

export function credentialsFromEnv(env: NodeJS.ProcessEnv): Credentials | undefined {
  const email = env.VOR_TEST_USER_EMAIL;
  const password = env.VOR_TEST_USER_PASSWORD;
  return email && password ? { email, password } : undefined;
}

interface WorkerFixtures {
  readonly run: SmokeRun;
  /** The configured test user, from the environment only; undefined skips the flows that need it. */
  readonly testUser: Credentials | undefined;
}

interface TestFixtures {
  /** Open every context with the test user's signed-in storage state (from setup/auth.setup.ts). */
  readonly signedIn: boolean;
  readonly collectors: Collectors;
  /** A user created for this test through the API, deleted afterwards (flows that change data). */
  readonly freshUser: FreshUser;
  /** The same user, already signed in in the test's browser context. */
  readonly signedInFreshUser: FreshUser;
  /** Credentials for a user the test itself signs up; deleted afterwards if it exists. */
  readonly unregisteredUser: FreshUser;
  readonly api: VorApi;
  readonly landingPage: LandingPage;
  readonly loginPage: LoginPage;
  readonly signupPage: SignupPage;
  readonly dashboardPage: DashboardPage;
  readonly linkBankPage: LinkBankPage;
  readonly billingPage: BillingPage;
  readonly settingsPage: SettingsPage;
}

/**
 * Deletes a throwaway user if it still exists (the deletion flow may have removed it already).
 * The sign-up session is tried first, so cleanup rarely needs a login.
 */
async function removeUser(api: VorApi, user: FreshUser): Promise<void> {
  try {
    if ((await api.deleteAccount()).status() === 401 && (await api.login(user)).ok()) await api.deleteAccount();
  } finally {
    await api.dispose();
  }
}

// Playwright reads a fixture's dependencies from its destructuring pattern, so a fixture without any needs `{}`.
/* eslint-disable no-empty-pattern */
export const test = base.extend<TestFixtures, WorkerFixtures>({
  run: [async ({}, use) => use(readSmokeRun(process.env)), { scope: 'worker' }],
  testUser: [async ({}, use) => use(credentialsFromEnv(process.env)), { scope: 'worker' }],
  signedIn: [false, { option: true }],
  // Without a test user there is no storage state; those tests skip themselves with a reason.
  storageState: async ({ signedIn, run, testUser, storageState }, use) =>
    use(signedIn && testUser !== undefined ? run.authFile : storageState),
  collectors: [
    async ({ context, run }, use, testInfo) => {
      const collectors = attachCollectors(context, new URL(run.baseUrl).origin);
      await use(collectors);
      await attachCollected(testInfo, collectors);
    },
    { auto: true },
  ],
  api: async ({ playwright, run }, use) => {
    const api = await VorApi.open(playwright, run);
    await use(api);
    await api.dispose();
  },
  freshUser: async ({ playwright, run }, use) => {
    const user = newFreshUser();
    const api = await VorApi.open(playwright, run);
    const created = await api.signup(user);
    expect(created.ok(), `creating a throwaway user answered ${created.status()}`).toBe(true);
    await use(user);
    await removeUser(api, user);
  },
  signedInFreshUser: async ({ freshUser, page, run }, use) => {
    const response = await page.request.post(run.loginUrl, { data: { email: freshUser.email, password: freshUser.password } });
    expect(response.ok(), `signing the throwaway user in answered ${response.status()}`).toBe(true);
    await use(freshUser);
  },
  unregisteredUser: async ({ playwright, run }, use) => {
    const user = newFreshUser();
    await use(user);
    const api = await VorApi.open(playwright, run);
    await removeUser(api, user);
  },
  landingPage: async ({ page }, use) => use(new LandingPage(page)),
  loginPage: async ({ page }, use) => use(new LoginPage(page)),
  signupPage: async ({ page }, use) => use(new SignupPage(page)),
  dashboardPage: async ({ page }, use) => use(new DashboardPage(page)),
  linkBankPage: async ({ page }, use) => use(new LinkBankPage(page)),
  billingPage: async ({ page }, use) => use(new BillingPage(page)),
  settingsPage: async ({ page }, use) => use(new SettingsPage(page)),
});

/* eslint-enable no-empty-pattern */

export { expect };
