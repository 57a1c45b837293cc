// A team's own browser check on a public page: the footer links to a privacy policy that opens.
import { test, expect, expectStep, check } from 'vor-watch/smoke';

test(
  'the landing page footer links to the privacy policy',
  check('custom.privacy_link_in_footer', { severity: 'medium', checklist: ['Compliance: Privacy policy published'] }),
  async ({ landingPage, page }) => {
    await landingPage.open();
    const href = await expectStep('no_link', 'the footer has a privacy link', async () => {
      await expect(landingPage.privacyLink).toBeVisible();
      return landingPage.privacyLink.getAttribute('href');
    });
    expect(href).toBeTruthy();
    const response = await page.goto(href!);
    expect(response?.ok()).toBe(true);
    await expect(page.getByRole('heading', { name: /privacy/i }).first()).toBeVisible();
  },
);
