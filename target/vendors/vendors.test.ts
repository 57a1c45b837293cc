/**
 * The vendor stand-ins in real Chromium, embedded cross-origin by a shop on a third loopback origin:
 * Plaid Link in its iframe, the three Stripe Elements iframes, hosted Checkout and its redirect back.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { chromium, expect as baseExpect, type Browser, type BrowserContext, type FrameLocator, type Page } from '@playwright/test';
import { pickChromium } from '../../smoke/chromium.js';
import { request } from '../../test/helpers/target.js';
import { loadLocalCa } from '../ca.js';
import { startHostApp, type HostApp } from './host-app.js';
import { startVendors, type RunningVendors } from './index.js';

const STEP_MS = 10_000;
const expect = baseExpect.configure({ timeout: STEP_MS });
const ca = loadLocalCa();
const leaf = ca.issue();
let vendors: RunningVendors;
let shop: HostApp;
let browser: Browser;
let context: BrowserContext;
let page: Page;

before(async () => {
  vendors = await startVendors({ tls: { key: leaf.keyPem, cert: leaf.chainPem }, quiet: true });
  shop = await startHostApp({ tls: { key: leaf.keyPem, cert: leaf.chainPem }, ca: ca.caPem, ...vendors });
  const choice = pickChromium(process.env);
  browser = await chromium.launch({ executablePath: choice.executablePath, args: [...choice.args], timeout: 30_000 });
});
after(async () => {
  await browser?.close();
  await shop?.close();
  await vendors?.close();
});
beforeEach(async () => {
  vendors.setFaults({});
  await context?.close();
  // The local CA is not in Chromium's store; the origins and TLS are still real.
  context = await browser.newContext({ ignoreHTTPSErrors: true });
  context.setDefaultTimeout(STEP_MS);
  page = await context.newPage();
});

const result = (): ReturnType<Page['getByRole']> => page.getByRole('status');

describe('Plaid Link', () => {
  const openLink = async (): Promise<FrameLocator> => {
    await page.goto(`${shop.origin}/plaid`);
    await page.getByRole('button', { name: 'Connect bank' }).click();
    return page.frameLocator('iframe[title="Plaid Link"]');
  };
  const logIn = async (link: FrameLocator, username: string, password: string): Promise<void> => {
    await link.getByRole('button', { name: 'Continue' }).click();
    await expect(link.getByRole('heading', { name: 'Select your institution' })).toBeVisible();
    await link.getByPlaceholder('Search').fill('tart');
    await expect(link.getByRole('button', { name: 'First Platypus Bank' })).toBeHidden();
    await link.getByRole('button', { name: 'Tartan Bank' }).click();
    await expect(link.getByRole('heading', { name: 'Log in to Tartan Bank' })).toBeVisible();
    await link.getByLabel('Username').fill(username);
    await link.getByLabel('Password').fill(password);
    await link.getByRole('button', { name: 'Submit' }).click();
  };

  it('success: cross-origin iframe → institution → user_good/pass_good → onSuccess → server-side exchange', async () => {
    const link = await openLink();
    const iframe = page.getByTitle('Plaid Link');
    await expect(iframe).toHaveAttribute('id', 'plaid-link-iframe-1');
    assert.equal(new URL(String(await iframe.getAttribute('src'))).origin, vendors.plaidOrigin);
    await expect(link.getByRole('heading', { name: 'Connect your bank' })).toBeVisible();
    await expect.poll(() => page.evaluate(() => document.body.dataset.plaidLoaded)).toBe('yes');
    await logIn(link, 'user_good', 'pass_good');
    await expect(link.getByRole('heading', { name: 'Success' })).toBeVisible();
    await link.getByRole('button', { name: 'Continue' }).click();
    await expect(result()).toHaveText('Linked Tartan Bank (2 accounts, picked Tartan Bank)');
    await expect(iframe).toHaveCount(0);
  });

  it('a message that does not come from the Link frame on the Plaid origin is ignored', async () => {
    const link = await openLink();
    await expect(link.getByRole('heading', { name: 'Connect your bank' })).toBeVisible();
    await page.evaluate(() => {
      const forged = {
        source: 'plaid-link',
        type: 'success',
        public_token: 'public-sandbox-forged',
        metadata: { institution: { name: 'Forged' } },
      };
      window.postMessage(forged, '*');
    });
    await page.waitForTimeout(300);
    await expect(result()).toHaveText('');
    await expect(page.getByTitle('Plaid Link')).toHaveCount(1);
  });

  it('fault plaidCredentialsRejected: alert in the frame; Close → onExit(null) at requires_credentials', async () => {
    vendors.setFaults({ plaidCredentialsRejected: true });
    const link = await openLink();
    await logIn(link, 'user_good', 'pass_good');
    await expect(link.getByRole('alert')).toHaveText('The credentials were not correct');
    await link.getByRole('button', { name: 'Close' }).click();
    await expect(result()).toHaveText('Exited without error at requires_credentials');
    await expect(page.getByTitle('Plaid Link')).toHaveCount(0);
  });

  it('fault plaidUnavailable: the iframe is inserted, its document answers 503, Link never gets ready', async () => {
    vendors.setFaults({ plaidUnavailable: true });
    const answered = page.waitForResponse((r) => r.url().startsWith(`${vendors.plaidOrigin}/link?`));
    const link = await openLink();
    assert.equal((await answered).status(), 503);
    await expect(page.getByTitle('Plaid Link')).toHaveCount(1);
    await expect(link.getByRole('heading', { name: 'Plaid is unavailable' })).toBeVisible();
    await expect(link.getByRole('heading', { name: 'Connect your bank' })).toHaveCount(0);
    assert.equal(await page.evaluate(() => document.body.dataset.plaidLoaded), undefined);
  });

  it('slowMs: the Link frame takes at least that long to show its first screen', async () => {
    await page.goto(`${shop.origin}/plaid`);
    vendors.setFaults({ slowMs: 1500 });
    const started = Date.now();
    await page.getByRole('button', { name: 'Connect bank' }).click();
    await expect(page.frameLocator('iframe[title="Plaid Link"]').getByRole('heading', { name: 'Connect your bank' })).toBeVisible();
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 1500, `first screen after ${elapsed} ms`);
  });
});

describe('Stripe Elements', () => {
  const cardFrames = () => ({
    number: page.frameLocator('iframe[title="Secure card number input frame"]'),
    expiry: page.frameLocator('iframe[title="Secure expiration date input frame"]'),
    cvc: page.frameLocator('iframe[title="Secure CVC input frame"]'),
  });
  const payWith = async (number: string): Promise<void> => {
    await page.goto(`${shop.origin}/elements`);
    const frames = cardFrames();
    await frames.number.getByPlaceholder('1234 1234 1234 1234').fill(number);
    await frames.expiry.getByPlaceholder('MM / YY').fill('12/34');
    await frames.cvc.getByPlaceholder('CVC').fill('123');
    await page.getByRole('button', { name: 'Pay now' }).click();
  };

  it('4242 4242 4242 4242 succeeds; the card number never reaches the app DOM', async () => {
    await payWith('4242424242424242');
    const frames = cardFrames();
    await expect(frames.number.getByLabel('Credit or debit card number')).toHaveValue('4242 4242 4242 4242');
    await expect(frames.expiry.getByLabel('Credit or debit card expiration date')).toHaveValue('12 / 34');
    await expect(result()).toHaveText(/^Payment succeeded pi_/);
    const intentId = await page.evaluate(() => document.body.dataset.paymentIntent);
    const intent = JSON.parse((await request(`${vendors.stripeOrigin}/v1/payment_intents/${intentId}`, { ca: ca.caPem })).body) as Record<
      string,
      unknown
    >;
    assert.deepEqual([intent.status, intent.last4], ['succeeded', '4242']);
    const appHtml = await page.content();
    assert.ok(!appHtml.includes('4242 4242') && !appHtml.includes('4242424242424242'));
    for (const title of ['Secure card number input frame', 'Secure expiration date input frame', 'Secure CVC input frame']) {
      const src = String(await page.getByTitle(title).getAttribute('src'));
      assert.equal(new URL(src).origin, vendors.stripeOrigin, title);
    }
    assert.match(String(await page.getByTitle('Secure CVC input frame').getAttribute('name')), /^__privateStripeFrame\d+$/);
  });

  it('4000 0000 0000 0002 is declined; an incomplete number is named', async () => {
    await payWith('4000 0000 0000 0002');
    await expect(result()).toHaveText('Payment failed: card_declined: Your card was declined.');
    await payWith('4242');
    await expect(result()).toHaveText('Payment failed: incomplete_number: Your card number is incomplete.');
  });

  it('a forged field message from the app origin does not fill the card', async () => {
    await page.goto(`${shop.origin}/elements`);
    await expect(cardFrames().cvc.getByPlaceholder('CVC')).toBeVisible();
    await page.evaluate(() => {
      const frame = document.querySelector<HTMLIFrameElement>('iframe[title="Secure card number input frame"]')?.name;
      window.postMessage({ source: 'stripe-element', frame, type: 'change', value: '4242424242424242', complete: true, empty: false }, '*');
    });
    await page.waitForTimeout(300);
    await cardFrames().expiry.getByPlaceholder('MM / YY').fill('12/34');
    await cardFrames().cvc.getByPlaceholder('CVC').fill('123');
    await page.getByRole('button', { name: 'Pay now' }).click();
    await expect(result()).toHaveText('Payment failed: incomplete_number: Your card number is incomplete.');
  });

  it('fault stripeDeclineAll: 4242… is declined', async () => {
    vendors.setFaults({ stripeDeclineAll: true });
    await payWith('4242424242424242');
    await expect(result()).toHaveText('Payment failed: card_declined: Your card was declined.');
  });

  it('fault stripeUnavailable: the three frames are there but hold no input', async () => {
    vendors.setFaults({ stripeUnavailable: true });
    await page.goto(`${shop.origin}/elements`);
    const frames = cardFrames();
    await expect(frames.number.getByRole('heading', { name: 'Stripe is unavailable' })).toBeVisible();
    for (const frame of Object.values(frames)) await expect(frame.getByRole('textbox')).toHaveCount(0);
  });
});

describe('Stripe hosted Checkout', () => {
  const fillCheckout = async (number: string): Promise<void> => {
    await page.goto(`${shop.origin}/checkout`);
    expect(new URL(page.url()).origin).toBe(vendors.stripeOrigin);
    await expect(page.getByRole('heading', { name: 'VÖR Plus <yearly>' })).toBeVisible();
    await page.getByLabel('Email').fill('ada@example.com');
    await page.getByLabel('Card number').fill(number);
    await page.getByPlaceholder('MM / YY').fill('12 / 34');
    await page.getByLabel('CVC').fill('123');
    await page.getByLabel('Cardholder name').fill('Ada Lovelace');
    await page.getByRole('button', { name: 'Pay', exact: true }).click();
  };

  it('redirects to the Stripe origin and back to the shop with redirect_status=succeeded', async () => {
    await fillCheckout('4242 4242 4242 4242');
    await page.waitForURL((url) => url.origin === shop.origin && url.pathname === '/done');
    const back = new URL(page.url());
    assert.equal(back.searchParams.get('redirect_status'), 'succeeded');
    assert.equal(back.searchParams.get('from'), 'checkout');
    await expect(page.locator('#redirect-status')).toHaveText('succeeded');
    const sessionId = String(back.searchParams.get('session_id'));
    const session = JSON.parse(
      (await request(`${vendors.stripeOrigin}/v1/checkout/sessions/${sessionId}`, { ca: ca.caPem })).body,
    ) as Record<string, unknown>;
    assert.deepEqual([session.status, session.payment_status], ['complete', 'paid']);
  });

  it('4000 0000 0000 0002 and the stripeDeclineAll fault stay on the page with "Your card was declined."', async () => {
    await fillCheckout('4000 0000 0000 0002');
    await expect(page.getByRole('alert')).toHaveText('Your card was declined.');
    expect(new URL(page.url()).origin).toBe(vendors.stripeOrigin);
    vendors.setFaults({ stripeDeclineAll: true });
    await fillCheckout('4242 4242 4242 4242');
    await expect(page.getByRole('alert')).toHaveText('Your card was declined.');
  });

  it('fault stripeUnavailable: the Checkout page answers 503', async () => {
    vendors.setFaults({ stripeUnavailable: true });
    const answered = page.waitForResponse((r) => r.url().startsWith(`${vendors.stripeOrigin}/c/pay/`));
    await page.goto(`${shop.origin}/checkout`);
    assert.equal((await answered).status(), 503);
    await expect(page.getByRole('heading', { name: 'Checkout is unavailable' })).toBeVisible();
  });
});
