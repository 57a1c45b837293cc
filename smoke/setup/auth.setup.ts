import { chmod } from 'node:fs/promises';
import { expect, test as setup } from '../fixtures.js';
import { NO_CREDENTIALS } from '../outcome.js';

// Signs the configured test user in once; flows and browser checks reuse the storage state.
// The file holds a live session cookie: it lives in a private temp dir that runSmoke deletes.
setup('sign in the test user', async ({ page, run, testUser }) => {
  setup.skip(testUser === undefined, NO_CREDENTIALS);
  const response = await page.request.post(run.loginUrl, { data: { email: testUser!.email, password: testUser!.password } });
  expect(response.status(), `the test user's login at ${new URL(run.loginUrl).pathname} answered ${response.status()}`).toBe(200);
  await page.context().storageState({ path: run.authFile });
  await chmod(run.authFile, 0o600);
});
