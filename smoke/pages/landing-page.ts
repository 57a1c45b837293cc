import type { Locator, Page, Response } from '@playwright/test';

/** The public landing page a first-time visitor sees. */
export class LandingPage {
  readonly consentBanner: Locator;
  readonly acceptCookies: Locator;
  readonly privacyLink: Locator;
  readonly termsLink: Locator;
  readonly mainHeading: Locator;

  constructor(readonly page: Page) {
    this.consentBanner = page.getByRole('dialog', { name: /cookie|consent/i }).or(page.getByRole('region', { name: /cookie|consent/i }));
    this.acceptCookies = this.consentBanner.getByRole('button', { name: /accept/i });
    // Legal links live in the footer; the consent banner's own "privacy policy" link does not count.
    const footer = page.getByRole('contentinfo');
    this.privacyLink = footer.getByRole('link', { name: /privacy/i }).first();
    this.termsLink = footer.getByRole('link', { name: /terms/i }).first();
    this.mainHeading = page.getByRole('heading', { level: 1 }).first();
  }

  async open(): Promise<Response | null> {
    return this.page.goto('/');
  }
}
