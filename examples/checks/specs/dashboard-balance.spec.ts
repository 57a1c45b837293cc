// A team's own browser check (README "Checks as code"): a throwaway user signs in and sees a balance.
// Locators come from the app profile (`dashboardPage`) or by role and text, never by CSS.
import { test, expect, expectStep, check } from 'vor-watch/smoke';

test(
  'the signed-in dashboard shows a balance',
  check('custom.dashboard_balance', { severity: 'high', checklist: ['Post-Deployment: Test critical user flows'] }),
  async ({ signedInFreshUser, dashboardPage, page }) => {
    expect(signedInFreshUser.email).toBeTruthy();
    await dashboardPage.open();
    await dashboardPage.heading.expectVisible();
    await expectStep('no_accounts', 'an account is listed', () => dashboardPage.accounts.expectVisible());
    await expectStep('no_balance', 'a balance is shown', async () => {
      await expect(
        page
          .getByRole('main')
          .getByText(/^-?\$[\d,]+\.\d{2}$/)
          .first(),
      ).toBeVisible();
    });
  },
);
