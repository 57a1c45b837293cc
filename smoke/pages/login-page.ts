import type { Locator, Page } from '@playwright/test';

export class LoginPage {
  readonly email: Locator;
  readonly password: Locator;
  readonly submit: Locator;
  readonly error: Locator;

  constructor(readonly page: Page) {
    const form = page.getByRole('main');
    this.email = form.getByLabel(/e-?mail/i);
    this.password = form.getByLabel(/password/i);
    this.submit = form.getByRole('button', { name: /^(log ?in|sign in)$/i });
    this.error = form.getByRole('alert');
  }

  async open(): Promise<void> {
    await this.page.goto('/login');
  }

  async signIn(email: string, password: string): Promise<void> {
    await this.email.fill(email);
    await this.password.fill(password);
    await this.submit.click();
  }
}
