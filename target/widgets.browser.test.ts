/**
 * The reference target's widget pages in real Chromium: Plaid Link from the Plaid origin on /link-bank,
 * Stripe Elements (three cross-origin card iframes) and hosted Checkout on /billing, under the pages'
 * real CSP. The locators are the accessible names a user (and the smoke flows) see.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { chromium, expect as baseExpect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { pickChromium } from '../smoke/chromium.js';
import { startTarget, type RunningTarget } from './server.js';

const STEP_MS = 15_000;
const expect = baseExpect.configure({ timeout: STEP_MS });
let t: RunningTarget;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let cspViolations: string[];

before(async () => {
  t = await startTarget({ quiet: true, bcryptCost: 4 });
  const choice = pickChromium(process.env);
  browser = await chromium.launch({ executablePath: choice.executablePath, args: [...choice.args], timeout: 30_000 });
});
after(async () => {
  await browser?.close();
  await t?.close();
});
beforeEach(async () => {
  t.setFaults({});
  await context?.close();
  // The local CA is not in Chromium's store; the origins and TLS are still real.
  context = await browser.newContext({ ignoreHTTPSErrors: true });
  context.setDefaultTimeout(STEP_MS);
  page = await context.newPage();
  cspViolations = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });
  await page.goto(`${t.baseUrl}/signup`);
  await page.getByLabel('Email').fill(`widgets-${Date.now()}-${Math.random().toString(36).slice(2)}@vor.test`);
  await page.getByLabel('Password').fill('widgets-password-1');
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.waitForURL(/\/dashboard/);
});

describe('bank linking with Plaid Link', () => {
  /** "Link a bank", then every Link screen with the sandbox credentials, up to the final "Continue". */
  const linkBank = async (institution: string): Promise<void> => {
    await page.goto(`${t.baseUrl}/link-bank`);
    await page.getByRole('button', { name: 'Link a bank' }).click();
    assert.equal(new URL(String(await page.getByTitle('Plaid Link').getAttribute('src'))).origin, t.vendors.plaidOrigin);
    const link = page.frameLocator('iframe[title="Plaid Link"]');
    await expect(link.getByRole('heading', { name: 'Connect your bank' })).toBeVisible();
    await link.getByRole('button', { name: 'Continue' }).click();
    await link.getByPlaceholder('Search').fill(institution.split(' ')[0] ?? institution);
    await link.getByRole('button', { name: institution }).click();
    await link.getByLabel('Username').fill('user_good');
    await link.getByLabel('Password').fill('pass_good');
    await link.getByRole('button', { name: 'Submit' }).click();
    await expect(link.getByRole('heading', { name: 'Success' })).toBeVisible();
    await link.getByRole('button', { name: 'Continue' }).click();
  };

  it('"Link a bank" → Link iframe on the Plaid origin → sandbox log-in → dashboard shows the linked accounts', async () => {
    await linkBank('Tartan Bank');
    await page.waitForURL(/\/dashboard\?linked=/);
    await expect(page.getByText('Tartan Bank Plaid Checking')).toBeVisible();
    assert.deepEqual(cspViolations, []);
  });

  it('link_bank_broken: the app says so in an alert after Plaid succeeded', async () => {
    t.setFaults({ link_bank_broken: true });
    await linkBank('First Platypus Bank');
    await expect(page.getByRole('alert')).toHaveText('Bank linking failed. Please try again later.');
  });
});

describe('payments with Stripe', () => {
  const fillCard = async (number: string): Promise<void> => {
    await page.frameLocator('iframe[title="Secure card number input frame"]').getByPlaceholder('1234 1234 1234 1234').fill(number);
    await page.frameLocator('iframe[title="Secure expiration date input frame"]').getByPlaceholder('MM / YY').fill('12 / 34');
    await page.frameLocator('iframe[title="Secure CVC input frame"]').getByPlaceholder('CVC').fill('123');
  };

  it("Elements: a declined card shows Stripe's message; 4242 pays and the payment shows as succeeded", async () => {
    await page.goto(`${t.baseUrl}/billing`);
    await fillCard('4000 0000 0000 0002');
    await page.getByRole('button', { name: 'Pay $12.00' }).click();
    await expect(page.getByRole('alert')).toHaveText('Your card was declined.');
    await fillCard('4242 4242 4242 4242');
    await page.getByRole('button', { name: 'Pay $12.00' }).click();
    await page.waitForURL(/\/billing\?paid=pi_/);
    await expect(page.getByRole('row', { name: /succeeded/ })).toHaveCount(1);
    assert.deepEqual(cspViolations, []);
  });

  it('hosted Checkout: "Pay with Checkout" → Stripe page → back with the payment recorded', async () => {
    await page.goto(`${t.baseUrl}/billing`);
    await page.getByRole('button', { name: 'Pay with Checkout' }).click();
    await page.waitForURL((url) => url.origin === t.vendors.stripeOrigin);
    await page.getByLabel('Email').fill('widgets@vor.test');
    await page.getByPlaceholder('1234 1234 1234 1234').fill('4242 4242 4242 4242');
    await page.getByPlaceholder('MM / YY').fill('12 / 34');
    await page.getByPlaceholder('CVC').fill('123');
    await page.getByLabel('Cardholder name').fill('Widget Tester');
    await page.getByRole('button', { name: 'Pay', exact: true }).click();
    await page.waitForURL(/\/billing\?paid=pi_/);
    await expect(page.getByRole('row', { name: /succeeded/ })).toHaveCount(1);
    assert.deepEqual(cspViolations, []);
  });
});
