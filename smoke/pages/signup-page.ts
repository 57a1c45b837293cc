import type { Locator, Page } from '@playwright/test';
import type { FreshUser } from '../api.js';

export class SignupPage {
  readonly name: Locator;
  readonly email: Locator;
  readonly password: Locator;
  readonly submit: Locator;
  readonly error: Locator;

  constructor(readonly page: Page) {
    const form = page.getByRole('main');
    this.name = form.getByLabel(/^name$/i);
    this.email = form.getByLabel(/e-?mail/i);
    this.password = form.getByLabel(/password/i);
    this.submit = form.getByRole('button', { name: /sign up|create (my )?account|register/i });
    this.error = form.getByRole('alert');
  }

  async open(): Promise<void> {
    await this.page.goto('/signup');
  }

  async signUp(user: FreshUser): Promise<void> {
    await this.name.fill(user.name);
    await this.email.fill(user.email);
    await this.password.fill(user.password);
    await this.submit.click();
  }
}
