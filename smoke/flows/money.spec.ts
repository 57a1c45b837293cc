import { check } from '../checks.js';
import { expect, test } from '../fixtures.js';
import { expectStep } from '../outcome.js';

const INSTITUTION = 'First Platypus Bank';

test(
  'a bank links through Plaid Link (sandbox) and the new account appears',
  check('flow.link_bank'),
  async ({ linkBankPage, dashboardPage, signedInFreshUser }) => {
    void signedInFreshUser;
    await dashboardPage.open();
    const accountsBefore = await dashboardPage.accounts.count();
    await linkBankPage.open();
    await linkBankPage.start.click();
    await expect(linkBankPage.dialog).toBeVisible();
    await linkBankPage.institution(INSTITUTION).click();
    await linkBankPage.submitCredentials.click();
    await expectStep('link_failed', 'Plaid Link reports success', async () => {
      await expect(linkBankPage.success).toBeVisible();
    });
    await linkBankPage.continue.click();
    await expectStep('account_missing', 'the linked account appears on the dashboard', async () => {
      await expect(dashboardPage.page).toHaveURL(/\/dashboard/);
      await expect(dashboardPage.accounts).toHaveCount(accountsBefore + 1);
      await expect(dashboardPage.account(INSTITUTION).first()).toBeVisible();
    });
  },
);

test('a test-mode payment succeeds and shows on the billing page', check('flow.payment'), async ({ billingPage, signedInFreshUser }) => {
  void signedInFreshUser;
  await billingPage.open();
  await billingPage.pay.click();
  await expectStep('payment_failed', 'the payment succeeds', async () => {
    await expect(billingPage.page).toHaveURL(/paid=/);
  });
  await expectStep('payment_missing', 'the payment shows as succeeded in the history', async () => {
    await expect(billingPage.payments.filter({ hasText: /succeeded/i }).first()).toBeVisible();
  });
});
