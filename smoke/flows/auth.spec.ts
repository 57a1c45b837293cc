import { check } from '../checks.js';
import { expect, test } from '../fixtures.js';
import { expectStep, NO_CREDENTIALS } from '../outcome.js';

test('a new user signs up and lands signed in', check('flow.signup'), async ({ signupPage, dashboardPage, unregisteredUser }) => {
  await signupPage.open();
  await signupPage.signUp(unregisteredUser);
  await expectStep('signup_failed', 'lands on the dashboard, signed in', async () => {
    await expect(signupPage.page).toHaveURL(/\/dashboard/);
    await expect(dashboardPage.heading).toContainText(unregisteredUser.name);
  });
});

test('the test user logs in; a wrong password is refused', check('flow.login'), async ({ loginPage, testUser }) => {
  test.skip(testUser === undefined, NO_CREDENTIALS);
  const user = testUser!;
  await loginPage.open();
  await loginPage.signIn(user.email, 'vor-watch-wrong-password');
  await expectStep('wrong_password_accepted', 'a wrong password is refused with a clear message', async () => {
    await expect(loginPage.error).toHaveText(/incorrect|invalid|wrong/i);
    await expect(loginPage.page).toHaveURL(/\/login/);
  });
  await loginPage.signIn(user.email, user.password);
  await expectStep('login_failed', 'the right password signs in', async () => {
    await expect(loginPage.page).toHaveURL(/\/dashboard/);
  });
});

test(
  'logout ends the session on the server',
  check('flow.logout'),
  async ({ dashboardPage, settingsPage, signedInFreshUser, page, browser, run }) => {
    await dashboardPage.open();
    await expect(dashboardPage.heading).toContainText(signedInFreshUser.name);
    const before = await page.context().storageState();
    await settingsPage.logout.click();
    await expect(page).toHaveURL(/\/login/);
    await expectStep('session_still_valid', 'the old session cookie no longer works', async () => {
      // Replay the pre-logout cookies elsewhere: only the server can have ended that session.
      const replay = await browser.newContext({ storageState: before, baseURL: run.baseUrl, ignoreHTTPSErrors: run.ignoreHttpsErrors });
      try {
        const read = await replay.request.get('/api/export', { maxRedirects: 0 });
        expect(read.status(), 'an authenticated read with the pre-logout session cookie').toBe(401);
      } finally {
        await replay.close();
      }
    });
  },
);
