import type { Locator, Page } from '@playwright/test';

/** Bank linking through the Plaid Link (sandbox) dialog. */
export class LinkBankPage {
  readonly start: Locator;
  readonly dialog: Locator;
  readonly submitCredentials: Locator;
  readonly success: Locator;
  readonly continue: Locator;
  readonly failure: Locator;

  constructor(readonly page: Page) {
    this.start = page.getByRole('button', { name: /link a bank/i });
    this.dialog = page.getByRole('dialog', { name: /plaid/i });
    this.submitCredentials = this.dialog.getByRole('button', { name: /submit/i });
    this.success = this.dialog.getByRole('heading', { name: /success/i });
    this.continue = this.dialog.getByRole('button', { name: /continue/i });
    this.failure = page.getByRole('alert').filter({ hasText: /.+/ });
  }

  async open(): Promise<void> {
    await this.page.goto('/link-bank');
  }

  institution(name: string): Locator {
    return this.dialog.getByRole('button', { name });
  }
}
