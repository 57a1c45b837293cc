import type { FrameLocator, Locator, Page } from '@playwright/test';
import type { AppProfile, LocatorSpec } from '../../src/config/profile.js';
import { AppElement } from './locate.js';
import { openPage, type OpenedPage } from './open-page.js';

type Scope = Page | FrameLocator;

const element = (root: Scope | Locator, field: string, spec: LocatorSpec): AppElement => new AppElement(root, field, spec);
const optional = (root: Scope, field: string, spec: LocatorSpec | null): AppElement | undefined =>
  spec === null ? undefined : element(root, field, spec);

/** The public landing page a first-time visitor sees, and its legal links and consent banner. */
export class LandingPage {
  readonly consentBanner: Locator;
  readonly acceptCookies: Locator;
  readonly privacyLink: Locator;
  readonly termsLink: Locator;
  readonly mainHeading: Locator;

  constructor(
    readonly page: Page,
    private readonly app: AppProfile,
  ) {
    this.consentBanner = element(page, 'legal.consentBanner', app.legal.consentBanner).locator;
    this.acceptCookies = element(this.consentBanner, 'legal.acceptCookies', app.legal.acceptCookies).locator;
    this.privacyLink = element(page, 'legal.privacyLink', app.legal.privacyLink).locator;
    this.termsLink = element(page, 'legal.termsLink', app.legal.termsLink).locator;
    this.mainHeading = page.getByRole('heading', { level: 1 }).first();
  }

  open(): Promise<OpenedPage> {
    return openPage(this.page, this.app.pages.landing);
  }
}

export class SignInPage {
  readonly email: AppElement;
  readonly password: AppElement;
  readonly submit: AppElement;
  readonly error: AppElement;

  constructor(
    readonly page: Page,
    readonly app: AppProfile,
  ) {
    this.email = element(page, 'signIn.email', app.signIn.email);
    this.password = element(page, 'signIn.password', app.signIn.password);
    this.submit = element(page, 'signIn.submit', app.signIn.submit);
    this.error = element(page, 'signIn.error', app.signIn.error);
  }

  async open(): Promise<void> {
    await openPage(this.page, this.app.pages.signIn);
  }

  async signIn(email: string, password: string): Promise<void> {
    await this.email.fill(email);
    await this.password.fill(password);
    await this.submit.click();
  }
}

export class RegisterPage {
  readonly name: AppElement | undefined;
  readonly email: AppElement;
  readonly password: AppElement;
  readonly submit: AppElement;

  constructor(
    readonly page: Page,
    readonly app: AppProfile,
  ) {
    this.name = optional(page, 'register.name', app.register.name);
    this.email = element(page, 'register.email', app.register.email);
    this.password = element(page, 'register.password', app.register.password);
    this.submit = element(page, 'register.submit', app.register.submit);
  }

  async open(): Promise<void> {
    await openPage(this.page, this.app.pages.register);
  }

  async register(user: { name: string; email: string; password: string }): Promise<void> {
    await this.name?.fill(user.name);
    await this.email.fill(user.email);
    await this.password.fill(user.password);
    await this.submit.click();
  }
}

export class DashboardPage {
  readonly heading: AppElement;
  readonly accounts: AppElement;
  readonly transactions: AppElement;

  constructor(
    readonly page: Page,
    readonly app: AppProfile,
  ) {
    this.heading = element(page, 'dashboard.heading', app.dashboard.heading);
    this.accounts = element(page, 'dashboard.accounts', app.dashboard.accounts);
    this.transactions = element(page, 'dashboard.transactions', app.dashboard.transactions);
  }

  async open(): Promise<void> {
    await openPage(this.page, this.app.pages.dashboard);
  }

  account(institution: string): Locator {
    return this.accounts.locator.filter({ hasText: institution });
  }
}

/** Bank linking: the app's button, then the widget (Plaid Link in its cross-origin iframe, by default). */
export class ConnectBankPage {
  readonly start: AppElement;
  readonly frame: AppElement | undefined;
  readonly widget: Scope;
  readonly consent: AppElement | undefined;
  readonly search: AppElement | undefined;
  readonly institution: Locator;
  readonly username: AppElement;
  readonly password: AppElement;
  readonly submit: AppElement;
  readonly success: AppElement;
  readonly finish: AppElement | undefined;
  /** What the widget says when it fails (an alert inside it). */
  readonly widgetAlert: Locator;

  constructor(
    readonly page: Page,
    readonly app: AppProfile,
  ) {
    const c = app.connectBank;
    this.start = element(page, 'connectBank.start', c.start);
    this.frame = optional(page, 'connectBank.frame', c.frame);
    this.widget = this.frame === undefined ? page : this.frame.frame();
    this.consent = optional(this.widget, 'connectBank.consent', c.consent);
    this.search = optional(this.widget, 'connectBank.search', c.search);
    this.institution = this.widget.getByRole('button', { name: c.institution }).first();
    this.username = element(this.widget, 'connectBank.username', c.username);
    this.password = element(this.widget, 'connectBank.password', c.password);
    this.submit = element(this.widget, 'connectBank.submit', c.submit);
    this.success = element(this.widget, 'connectBank.success', c.success);
    this.finish = optional(this.widget, 'connectBank.finish', c.finish);
    this.widgetAlert = this.widget.getByRole('alert').filter({ hasText: /\S/ });
  }

  async open(): Promise<void> {
    await openPage(this.page, this.app.pages.connectBank);
  }

  /** The widget's first step: consent, search, or the institution list. */
  get firstStep(): Locator {
    return (this.consent ?? this.search)?.locator.first() ?? this.institution;
  }
}

/** A card field, in the page or in its own iframe (Stripe Elements puts each in one). */
function cardField(page: Page, field: string, spec: { frame: LocatorSpec | null; field: LocatorSpec }): AppElement {
  const scope = spec.frame === null ? page : element(page, `${field}.frame`, spec.frame).frame();
  return element(scope, `${field}.field`, spec.field);
}

export class PaymentPage {
  readonly start: AppElement | undefined;
  readonly email: AppElement | undefined;
  readonly cardNumber: AppElement;
  readonly expiry: AppElement;
  readonly cvc: AppElement;
  readonly cardholder: AppElement | undefined;
  readonly pay: AppElement;
  readonly history: AppElement | undefined;

  constructor(
    readonly page: Page,
    readonly app: AppProfile,
  ) {
    const p = app.payment;
    this.start = optional(page, 'payment.start', p.start);
    this.email = optional(page, 'payment.email', p.email);
    this.cardNumber = cardField(page, 'payment.cardNumber', p.cardNumber);
    this.expiry = cardField(page, 'payment.expiry', p.expiry);
    this.cvc = cardField(page, 'payment.cvc', p.cvc);
    this.cardholder = optional(page, 'payment.cardholder', p.cardholder);
    this.pay = element(page, 'payment.pay', p.pay);
    this.history = optional(page, 'payment.history', p.history);
  }

  async open(): Promise<void> {
    await openPage(this.page, this.app.pages.billing);
  }

  /** Fills the card form (on the billing page, or on the hosted checkout page after `start`) and pays. */
  async payWithTestCard(email: string): Promise<void> {
    const p = this.app.payment;
    if (p.mode === 'checkout') await this.start?.click();
    await this.email?.fill(email);
    await this.cardNumber.fill(p.testCard);
    await this.expiry.fill(p.expiryValue);
    await this.cvc.fill(p.cvcValue);
    await this.cardholder?.fill('Smoke Test');
    await this.pay.click();
  }

  /** Whatever the page or a card field's frame says went wrong (a declined card, say). */
  async alertText(): Promise<string | undefined> {
    const texts = await this.page
      .getByRole('alert')
      .allInnerTexts()
      .catch(() => []);
    return texts.map((t) => t.trim()).find((t) => t !== '');
  }
}

export class SettingsPage {
  readonly exportData: AppElement;
  readonly deleteConfirmation: AppElement | undefined;
  readonly deleteAccount: AppElement;
  readonly logout: AppElement;

  constructor(
    readonly page: Page,
    readonly app: AppProfile,
  ) {
    const s = app.settings;
    this.exportData = element(page, 'settings.export', s.export);
    this.deleteConfirmation = optional(page, 'settings.deleteConfirmation', s.deleteConfirmation);
    this.deleteAccount = element(page, 'settings.delete', s.delete);
    this.logout = element(page, 'settings.logout', s.logout);
  }

  async open(): Promise<void> {
    await openPage(this.page, this.app.pages.settings);
  }

  async deleteWith(email: string): Promise<void> {
    await this.deleteConfirmation?.fill(this.app.settings.deleteConfirmationValue.replaceAll('{email}', email));
    await this.deleteAccount.click();
  }
}
