import { check } from '../checks.js';
import { expectMarker } from '../app/locate.js';
import { signedInTest as test } from '../fixtures.js';
import { expectStep } from '../outcome.js';

test("the signed-in dashboard shows the user's accounts and transactions", check('flow.dashboard'), async ({ dashboardPage, run }) => {
  await dashboardPage.open();
  await expectStep('not_signed_in', 'the dashboard opens signed in', async () => {
    await expectMarker(dashboardPage.page, run.app.signIn.signedIn, 'signIn.signedIn');
    await dashboardPage.heading.expectVisible();
  });
  await expectStep('no_accounts', 'accounts are listed', async () => {
    await dashboardPage.accounts.expectVisible();
  });
  await expectStep('no_transactions', 'transactions are listed', async () => {
    await dashboardPage.transactions.expectVisible();
  });
});
