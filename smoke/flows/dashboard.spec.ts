import { check } from '../checks.js';
import { expect, test } from '../fixtures.js';
import { expectStep, NO_CREDENTIALS } from '../outcome.js';

test.use({ signedIn: true });

test("the signed-in dashboard shows the user's accounts and transactions", check('flow.dashboard'), async ({ dashboardPage, testUser }) => {
  test.skip(testUser === undefined, NO_CREDENTIALS);
  await dashboardPage.open();
  await expect(dashboardPage.page).toHaveURL(/\/dashboard/);
  await expect(dashboardPage.heading).toBeVisible();
  await expectStep('no_accounts', 'accounts are listed', async () => {
    await expect(dashboardPage.accounts.first()).toBeVisible();
  });
  await expectStep('no_transactions', 'transactions are listed', async () => {
    await expect(dashboardPage.transactionRows.first()).toBeVisible();
  });
});
