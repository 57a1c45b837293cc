import { check } from '../checks.js';
import { expectMarker } from '../app/locate.js';
import { expect, test } from '../fixtures.js';
import { expectStep } from '../outcome.js';

test(
  'a bank links through the bank-link widget (Plaid Link, sandbox) and the new account appears',
  check('flow.link_bank'),
  async ({ linkBankPage, dashboardPage, signedInFreshUser, run }) => {
    void signedInFreshUser;
    const institution = run.app.connectBank.institution;
    await dashboardPage.open();
    const accountsBefore = await dashboardPage.accounts.locator.count();
    await linkBankPage.open();
    await linkBankPage.start.click();
    await expectStep('widget_unavailable', 'the bank-link widget loads', async () => {
      const where = linkBankPage.frame === undefined ? 'in the page' : `in ${linkBankPage.frame.what}`;
      await expect(
        linkBankPage.firstStep,
        `the bank-link widget ${where} did not show its first step (it failed to load or is slow)`,
      ).toBeVisible({
        timeout: 10_000,
      });
    });
    await linkBankPage.consent?.click();
    await linkBankPage.search?.fill(institution);
    await linkBankPage.institution.click();
    await linkBankPage.username.fill(run.app.connectBank.sandboxUsername);
    await linkBankPage.password.fill(run.app.connectBank.sandboxPassword);
    await linkBankPage.submit.click();
    await expectStep('link_failed', 'the widget reports success', async () => {
      await expect(linkBankPage.success.locator.or(linkBankPage.widgetAlert).first()).toBeVisible();
      const alert = await linkBankPage.widgetAlert.allInnerTexts();
      expect(alert.length === 0, `the bank-link widget said: "${alert.join(' ').trim()}"`).toBe(true);
      await linkBankPage.success.expectVisible();
    });
    await linkBankPage.finish?.click();
    await expectStep('account_missing', 'the linked account appears in the app', async () => {
      await expectMarker(linkBankPage.page, run.app.connectBank.linked, 'connectBank.linked');
      // One bank link may bring several accounts (a Plaid item holds checking and savings, say).
      await expect
        .poll(() => dashboardPage.accounts.locator.count(), {
          message: `${dashboardPage.accounts.what}: more accounts than before the link`,
        })
        .toBeGreaterThan(accountsBefore);
      await expect(dashboardPage.account(institution).first()).toBeVisible();
    });
  },
);

test(
  'a test-mode payment succeeds and shows in the payment history',
  check('flow.payment'),
  async ({ billingPage, signedInFreshUser, run }) => {
    await billingPage.open();
    await expectStep('widget_unavailable', 'the payment form loads', async () => {
      const first = run.app.payment.mode === 'checkout' ? billingPage.start! : billingPage.cardNumber;
      await expect(first.locator, `${first.what} did not appear (the payment widget failed to load or is slow)`).toBeVisible({
        timeout: 10_000,
      });
    });
    await billingPage.payWithTestCard(signedInFreshUser.email);
    await expectStep('payment_failed', 'the payment succeeds', async () => {
      try {
        await expectMarker(billingPage.page, run.app.payment.success, 'payment.success');
      } catch (error) {
        const said = await billingPage.alertText();
        throw said === undefined ? error : new Error(`the payment was refused: "${said}"`, { cause: error });
      }
    });
    if (billingPage.history !== undefined) {
      await expectStep('payment_missing', 'the payment shows in the history', async () => {
        await billingPage.history!.expectVisible();
      });
    }
  },
);
