import type { Locator, Page } from '@playwright/test';

export class SettingsPage {
  readonly exportData: Locator;
  readonly deleteConfirmation: Locator;
  readonly deleteAccount: Locator;
  readonly deleteError: Locator;
  readonly logout: Locator;

  constructor(readonly page: Page) {
    const main = page.getByRole('main');
    this.exportData = main.getByRole('link', { name: /download my data|export/i });
    this.deleteConfirmation = main.getByLabel(/confirm/i);
    this.deleteAccount = main.getByRole('button', { name: /delete (my )?account/i });
    this.deleteError = main.getByRole('alert');
    this.logout = page.getByRole('navigation').getByRole('button', { name: /log ?out|sign out/i });
  }

  async open(): Promise<void> {
    await this.page.goto('/settings');
  }
}
