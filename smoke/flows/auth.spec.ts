import { check } from '../checks.js';
import { expectMarker } from '../app/locate.js';
import { expect, noCredentialsMessage, test } from '../fixtures.js';
import { expectStep } from '../outcome.js';

test('a new user signs up through the public form', check('flow.signup'), async ({ signupPage, unregisteredUser, run }) => {
  await signupPage.open();
  await signupPage.register(unregisteredUser);
  await expectStep('signup_failed', 'the sign-up is accepted (signed in, or asked to verify the e-mail)', async () => {
    await expectMarker(signupPage.page, run.app.register.done, 'register.done');
  });
});

test('the test user logs in; a wrong password is refused', check('flow.login'), async ({ loginPage, testUser, run }) => {
  test.skip(testUser === undefined, noCredentialsMessage(run));
  const user = testUser!;
  await loginPage.open();
  await loginPage.signIn(user.email, 'vor-watch-wrong-password');
  await expectStep('wrong_password_accepted', 'a wrong password is refused with a clear message', async () => {
    await loginPage.error.expectVisible();
    await expect(loginPage.page, 'a wrong password must not leave the sign-in page').toHaveURL(
      (url) => url.pathname === run.app.pages.signIn,
    );
  });
  await loginPage.signIn(user.email, user.password);
  await expectStep('login_failed', 'the right password signs in', async () => {
    await expectMarker(loginPage.page, run.app.signIn.signedIn, 'signIn.signedIn');
  });
});

test(
  'logout ends the session on the server',
  check('flow.logout'),
  async ({ dashboardPage, settingsPage, signedInFreshUser, page, browser, run }) => {
    void signedInFreshUser;
    await dashboardPage.open();
    await dashboardPage.heading.expectVisible();
    const before = await page.context().storageState();
    await settingsPage.logout.click();
    await expectMarker(page, run.app.settings.signedOut, 'settings.signedOut');
    await expectStep('session_still_valid', 'the old session cookie no longer works', async () => {
      // Replay the pre-logout cookies elsewhere: only the server can have ended that session.
      const replay = await browser.newContext({ storageState: before, baseURL: run.baseUrl, ignoreHTTPSErrors: run.ignoreHttpsErrors });
      try {
        const read = await replay.request.get(run.authenticatedReadUrl!, { maxRedirects: 0 });
        // Refused (401/403) or sent to sign in (a redirect): anything else, a 404 included, is not proof of a logout.
        expect(
          [301, 302, 303, 307, 308, 401, 403].includes(read.status()),
          `an authenticated read (app.api.authenticatedRead) with the pre-logout session answered ${read.status()}`,
        ).toBe(true);
      } finally {
        await replay.close();
      }
    });
  },
);
