import type { Locator, Page } from '@playwright/test';

export class DashboardPage {
  readonly heading: Locator;
  /** Accounts show their masked number (••1234), as users recognise them. */
  readonly accounts: Locator;
  readonly transactionRows: Locator;

  constructor(readonly page: Page) {
    const main = page.getByRole('main');
    this.heading = main.getByRole('heading', { level: 1 });
    this.accounts = main.getByText(/••\d{2,4}/);
    this.transactionRows = main
      .getByRole('table')
      .getByRole('row')
      .filter({ has: page.getByRole('cell') });
  }

  async open(): Promise<void> {
    await this.page.goto('/dashboard');
  }

  account(institution: string): Locator {
    return this.page.getByRole('main').getByText(institution);
  }
}
