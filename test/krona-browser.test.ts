/**
 * Krona in real Chromium: the consent region, the legal links and every critical flow the way a person
 * does it, through the vendors' cross-origin Plaid Link iframe and hosted Stripe Checkout. Locators are
 * the ones an app profile would name (role + name, label, placeholder, test id).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { pickChromium } from '../smoke/chromium.js';
import { startKrona, type RunningKrona } from './fixtures/krona/server.js';
import { KronaClient } from './fixtures/krona/test-client.js';

let krona: RunningKrona;
let browser: Browser;
const TIMEOUT_MS = 20_000;

before(async () => {
  krona = await startKrona({ quiet: true, bcryptCost: 4, testUser: { email: 'pat@krona.test', password: 'correct horse battery staple' } });
  const choice = pickChromium(process.env);
  browser = await chromium.launch({
    ...(choice.executablePath === undefined ? {} : { executablePath: choice.executablePath }),
    args: [...choice.args],
  });
});
after(async () => {
  await browser?.close();
  await krona?.close();
});

interface Visit {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly consoleErrors: string[];
}

async function visit(path: string): Promise<Visit> {
  // The page is trusted through Krona's CA in the probes; a test browser simply skips verification.
  const context = await browser.newContext({ ignoreHTTPSErrors: true, acceptDownloads: true, viewport: { width: 1280, height: 720 } });
  context.setDefaultTimeout(TIMEOUT_MS);
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  // Krona's own pages only: the vendors' pages are not Krona's to fix (the checkout stand-in has no favicon).
  page.on('console', (m) => {
    if (m.type() === 'error' && m.location().url.startsWith(krona.baseUrl)) consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  await page.goto(`${krona.baseUrl}${path}`);
  return { context, page, consoleErrors };
}

async function throwawayUser(): Promise<{ login: string; secret: string }> {
  const c = new KronaClient(krona.baseUrl, krona.caPem);
  try {
    const created = await c.send('/__support/users', { method: 'POST', headers: { authorization: `Bearer ${krona.supportToken}` } });
    return created.json<{ account: { login: string; secret: string } }>().account;
  } finally {
    await c.close();
  }
}

async function signIn(page: Page, email: string, passphrase: string): Promise<void> {
  await page.goto(`${krona.baseUrl}/auth/sign-in`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL(/\/home/);
}

test('landing: no console errors, a consent region, only the pre-session cookie before consent, analytics after "Allow all"', async () => {
  const { context, page, consoleErrors } = await visit('/');
  try {
    await page.getByRole('heading', { level: 1 }).waitFor();
    const region = page.getByRole('region', { name: 'Cookie preferences' });
    assert.ok(await region.isVisible(), 'the consent region shows');
    assert.deepEqual(
      (await context.cookies()).map((c) => c.name),
      ['krona_pre'],
    );
    const image = page.locator('img[loading="lazy"]');
    assert.equal(await image.getAttribute('width'), '960');
    assert.ok(!(await image.isVisible()) || (await image.boundingBox())!.y > 720, 'the illustration is below the fold');
    await region.getByRole('button', { name: 'Allow all' }).click();
    await page.waitForFunction(() => document.cookie.includes('krona_analytics_id='));
    assert.ok(!(await region.isVisible()), 'the consent region hides after a choice');
    await page.reload();
    assert.equal(await page.getByRole('region', { name: 'Cookie preferences' }).count(), 0);
    assert.deepEqual(consoleErrors, []);
  } finally {
    await context.close();
  }
});

test('"Only necessary" sets no analytics cookie', async () => {
  const { context, page } = await visit('/');
  try {
    await page.getByRole('button', { name: 'Only necessary' }).click();
    await page.waitForFunction(() => document.cookie.includes('krona_consent=necessary'));
    assert.deepEqual((await context.cookies()).map((c) => c.name).sort(), ['krona_consent', 'krona_pre']);
  } finally {
    await context.close();
  }
});

test('the footer links reach the privacy notice and the terms', async () => {
  const { context, page } = await visit('/');
  try {
    for (const [name, heading] of [
      ['Privacy notice', 'Privacy notice'],
      ['Terms of service', 'Terms of service'],
    ] as const) {
      await page.goto(`${krona.baseUrl}/`);
      await page.getByRole('contentinfo').getByRole('link', { name }).click();
      assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), heading);
    }
  } finally {
    await context.close();
  }
});

test('sign-in: a wrong passphrase shows the alert; the right one lands on the Overview with accounts and activity', async () => {
  const { context, page, consoleErrors } = await visit('/auth/sign-in');
  try {
    await page.getByLabel('Email address').fill(krona.testUser.email);
    await page.getByLabel('Passphrase').fill('not the passphrase');
    await page.getByRole('button', { name: 'Continue' }).click();
    assert.equal(await page.getByRole('alert').innerText(), 'That email and passphrase do not match');
    await page.getByLabel('Passphrase').fill(krona.testUser.password);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${krona.baseUrl}/home`);
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Overview');
    assert.equal(await page.getByTestId('account-row').count(), 2);
    assert.match(await page.getByTestId('account-row').nth(1).innerText(), /Tartan Bank[\s\S]*···1234/);
    const table = page.getByRole('table', { name: 'Recent activity' });
    assert.equal(await table.getByRole('row').count(), 9); // header + 8
    // The only console error: the browser reporting the 401 of the refused attempt.
    assert.ok(
      consoleErrors.every((e) => /401/.test(e)),
      consoleErrors.join('\n'),
    );
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/auth\/sign-in\?signed_out=1/);
    await page.goto(`${krona.baseUrl}/home`);
    assert.match(page.url(), /\/auth\/sign-in\?next=/);
  } finally {
    await context.close();
  }
});

test('connect an account through the Plaid Link iframe; the new account shows on the Overview', async () => {
  const user = await throwawayUser();
  const { context, page, consoleErrors } = await visit('/');
  try {
    await signIn(page, user.login, user.secret);
    await page.goto(`${krona.baseUrl}/accounts/connect`);
    await page.getByRole('button', { name: 'Connect an account' }).click();
    const link = page.frameLocator('iframe[title="Plaid Link"]');
    await link.getByRole('button', { name: 'Continue' }).click();
    await link.getByPlaceholder('Search').fill('Tartan');
    await link.getByRole('button', { name: 'Tartan Bank' }).click();
    await link.getByLabel('Username').fill('user_good');
    await link.getByLabel('Password').fill('pass_good');
    await link.getByRole('button', { name: 'Submit' }).click();
    await link.getByRole('heading', { name: 'Success' }).waitFor();
    await link.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${krona.baseUrl}/home?connected=1`);
    const rows = await page.getByTestId('account-row').allInnerTexts();
    assert.ok(rows.length >= 1 && rows.every((r) => /^Tartan Bank/.test(r)), rows.join(' | '));
    assert.deepEqual(consoleErrors, []);
  } finally {
    await context.close();
  }
});

test('pay on the hosted checkout (another origin) and come back to "Payment received" with the payment listed', async () => {
  const user = await throwawayUser();
  const { context, page, consoleErrors } = await visit('/');
  try {
    await signIn(page, user.login, user.secret);
    await page.goto(`${krona.baseUrl}/payments/new`);
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await page.waitForURL((url) => url.origin === krona.vendors.stripeOrigin);
    await page.getByLabel('Email').fill(user.login);
    await page.getByPlaceholder('1234 1234 1234 1234').fill('4242 4242 4242 4242');
    await page.getByPlaceholder('MM / YY').fill('12 / 34');
    await page.getByPlaceholder('CVC').fill('123');
    await page.getByLabel('Cardholder name').fill('Krona QA');
    await page.getByRole('button', { name: /^Pay/ }).click();
    await page.waitForURL((url) => url.href.startsWith(`${krona.baseUrl}/payments/complete?`));
    assert.equal(await page.getByText('Payment received').count(), 1);
    assert.match(await page.getByTestId('payment-row').innerText(), /€9\.00 · Krona Plus · Paid/);
    assert.deepEqual(consoleErrors, []);
  } finally {
    await context.close();
  }
});

test('export my data downloads JSON; closing the account shows the goodbye page and the login stops working', async () => {
  const user = await throwawayUser();
  const { context, page } = await visit('/');
  try {
    await signIn(page, user.login, user.secret);
    await page.goto(`${krona.baseUrl}/me`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export my data' }).click()]);
    assert.match(download.suggestedFilename(), /^krona-export-\d{4}-\d\d-\d\d\.json$/);
    const data = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { profile: { email: string } };
    assert.equal(data.profile.email, user.login);
    await page.getByLabel('Type your email to confirm').fill(user.login);
    await page.getByRole('button', { name: 'Close my account' }).click();
    await page.waitForURL(`${krona.baseUrl}/goodbye`);
    assert.equal(await page.getByText('Your account has been closed').count(), 1);
    await page.goto(`${krona.baseUrl}/auth/sign-in`);
    await page.getByLabel('Email address').fill(user.login);
    await page.getByLabel('Passphrase').fill(user.secret);
    await page.getByRole('button', { name: 'Continue' }).click();
    assert.equal(await page.getByRole('alert').innerText(), 'That email and passphrase do not match');
  } finally {
    await context.close();
  }
});

test('sign up through the form, then open the verification link: signed in on an empty Overview', async () => {
  const email = `browser-${Date.now()}@work.example`;
  const { context, page } = await visit('/join');
  try {
    await page.getByLabel('Full name').fill('Ada Berg');
    await page.getByLabel('Work email').fill(email);
    await page.getByLabel('Choose a passphrase').fill('a long enough passphrase');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(`${krona.baseUrl}/join/check-inbox`);
    assert.equal(await page.getByRole('heading', { name: 'Check your inbox' }).count(), 1);
    const c = new KronaClient(krona.baseUrl, krona.caPem);
    const { token } = (
      await c.send(`/__support/verification?email=${encodeURIComponent(email)}`, {
        headers: { authorization: `Bearer ${krona.supportToken}` },
      })
    ).json<{ token: string }>();
    await c.close();
    await page.goto(`${krona.baseUrl}/join/verify?token=${token}`);
    await page.waitForURL(/\/home\?welcome=1/);
    assert.equal(await page.getByTestId('account-row').count(), 0);
    assert.equal(await page.getByRole('table', { name: 'Recent activity' }).getByRole('row', { name: /\d/ }).count(), 0);
  } finally {
    await context.close();
  }
});
