import type { Locator, Page } from '@playwright/test';

export class BillingPage {
  readonly pay: Locator;
  readonly error: Locator;
  readonly payments: Locator;

  constructor(readonly page: Page) {
    const main = page.getByRole('main');
    this.pay = main.getByRole('button', { name: /^pay/i });
    this.error = main.getByRole('alert');
    this.payments = main
      .getByRole('table')
      .getByRole('row')
      .filter({ has: page.getByRole('cell') });
  }

  async open(): Promise<void> {
    await this.page.goto('/billing');
  }
}
