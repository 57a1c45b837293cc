/**
 * The third-party widgets of the reference target over HTTP: Plaid Link and Stripe on their own origins,
 * the target's backend calls to them, the widget pages' CSP, and each vendor fault changing only what it
 * says. (The same flows in Chromium: widgets.browser.test.ts.)
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateCsp, parseCsp } from '../probes/headers/csp.js';
import type { HttpSnapshot } from '../src/net/http.js';
import { request, type RawResponse } from '../test/helpers/target.js';
import { startTarget, type RunningTarget } from './server.js';
import { ApiSession, confirmAtStripe, DECLINED_CARD, logInAtPlaid, payAtCheckout, useTarget } from './test-support.js';

let t!: RunningTarget;
useTarget((running) => (t = running));

const intentOf = (r: { json: Record<string, unknown> }): { id: string; client_secret: string } => ({
  id: String(r.json.id),
  client_secret: String(r.json.client_secret),
});

async function linkToken(user: ApiSession): Promise<string> {
  const r = await user.api('POST', '/plaid/link_token');
  assert.equal(r.status, 200, r.body);
  return String(r.json.link_token);
}

describe('bank linking through Plaid Link', () => {
  it('link token from Plaid → Link log-in on the Plaid origin → public token exchanged by the target → accounts', async () => {
    const user = await ApiSession.signup(t);
    const before = ((await user.api('GET', '/accounts')).json.accounts as unknown[]).length;
    const token = await linkToken(user);
    assert.match(token, /^link-sandbox-/);
    const linked = await logInAtPlaid(t, token);
    assert.equal(linked.status, 200, linked.body);
    const ex = await user.api('POST', '/plaid/exchange', { public_token: linked.json.public_token });
    assert.equal(ex.status, 200, ex.body);
    assert.equal((ex.json.account as { name: string }).name, 'Tartan Bank Plaid Checking');
    assert.equal(ex.json.access_token, undefined, 'the Plaid access token stays on the server');
    const accounts = (await user.api('GET', '/accounts')).json.accounts as { institution: string }[];
    assert.equal(accounts.length, before + 2);
    assert.ok(accounts.some((a) => a.institution === 'Tartan Bank'));
    const again = await user.api('POST', '/plaid/exchange', { public_token: linked.json.public_token });
    assert.equal(again.status, 400, 'public tokens are single-use');
  });

  it('link_bank_broken: the exchange fails (500) while Plaid itself works', async () => {
    const user = await ApiSession.signup(t);
    t.setFaults({ link_bank_broken: true });
    const linked = await logInAtPlaid(t, await linkToken(user));
    assert.equal(linked.status, 200);
    assert.equal((await user.api('POST', '/plaid/exchange', { public_token: linked.json.public_token })).status, 500);
  });

  it('needs a signed-in user', async () => {
    const anonymous = ApiSession.anonymous(t);
    await anonymous.api('GET', '/auth/csrf');
    assert.equal((await anonymous.api('POST', '/plaid/link_token')).status, 401);
  });
});

describe('payments through Stripe Elements', () => {
  it('intent created at Stripe → card confirmed at Stripe → payment recorded after the target checks it', async () => {
    const user = await ApiSession.signup(t);
    const created = await user.api('POST', '/billing/payment_intents', { amount_cents: 1200 });
    assert.equal(created.status, 200, created.body);
    assert.match(String(created.json.id), /^pi_/);
    const early = await user.api('POST', '/billing/payments', { payment_intent: created.json.id });
    assert.equal(early.status, 402, 'an unpaid intent is not recorded');
    assert.equal((await confirmAtStripe(t, intentOf(created))).json.status, 'succeeded');
    const recorded = await user.api('POST', '/billing/payments', { payment_intent: created.json.id });
    assert.equal(recorded.status, 200, recorded.body);
    assert.equal(recorded.json.id, created.json.id);
    assert.equal(recorded.json.card_last4, '4242');
    const twice = await user.api('POST', '/billing/payments', { payment_intent: created.json.id });
    assert.equal(twice.json.id, created.json.id);
    assert.equal(((await user.api('GET', '/billing/payments')).json.payments as unknown[]).length, 1, 'recorded once');
    const billing = await user.page(`/billing?paid=${String(created.json.id)}`);
    assert.match(billing.body, /payment-status">succeeded/);
    assert.match(billing.body, /id="payment-notice">Payment succeeded\./);
  });

  it("a declined card is Stripe's answer to the browser; nothing is recorded", async () => {
    const user = await ApiSession.signup(t);
    const created = await user.api('POST', '/billing/payment_intents', {});
    const declined = await confirmAtStripe(t, intentOf(created), DECLINED_CARD);
    assert.equal(declined.status, 402);
    assert.equal((declined.json.error as { message: string }).message, 'Your card was declined.');
    assert.equal((await user.api('POST', '/billing/payments', { payment_intent: created.json.id })).status, 402);
  });

  it("one user cannot record another user's payment", async () => {
    const a = await ApiSession.signup(t);
    const b = await ApiSession.signup(t);
    const created = await a.api('POST', '/billing/payment_intents', {});
    await confirmAtStripe(t, intentOf(created));
    assert.equal((await b.api('POST', '/billing/payments', { payment_intent: created.json.id })).status, 404);
  });

  it('payment_broken: recording fails (500) after Stripe took the payment', async () => {
    const user = await ApiSession.signup(t);
    const created = await user.api('POST', '/billing/payment_intents', {});
    assert.equal((await confirmAtStripe(t, intentOf(created))).status, 200);
    t.setFaults({ payment_broken: true });
    assert.equal((await user.api('POST', '/billing/payments', { payment_intent: created.json.id })).status, 500);
  });
});

describe('payments through hosted Checkout', () => {
  const startCheckout = async (user: ApiSession): Promise<RawResponse> => user.page('/billing/checkout', { csrf: user.csrfToken ?? '' });

  it('"Pay with Checkout" → Stripe page → back to /billing/return → verified → /billing?paid=', async () => {
    const user = await ApiSession.signup(t);
    const started = await startCheckout(user);
    assert.equal(started.status, 303);
    const checkoutUrl = String(started.headers.location);
    assert.equal(new URL(checkoutUrl).origin, t.vendors.stripeOrigin);
    const early = await user.page(`/billing/return?session_id=${checkoutUrl.split('/').pop() ?? ''}`);
    assert.equal(early.status, 402, 'an unpaid session is not recorded');
    const paid = await payAtCheckout(t, checkoutUrl);
    assert.equal(paid.status, 303, paid.body);
    const back = new URL(String(paid.headers.location));
    assert.equal(back.origin + back.pathname, `${t.baseUrl}/billing/return`);
    const returned = await user.page(back.pathname + back.search);
    assert.equal(returned.status, 303);
    assert.match(String(returned.headers.location), /^\/billing\?paid=pi_/);
    assert.equal(((await user.api('GET', '/billing/payments')).json.payments as unknown[]).length, 1);
  });

  it('the form needs the CSRF token and a signed-in user', async () => {
    const user = await ApiSession.signup(t);
    assert.equal((await user.page('/billing/checkout', { csrf: 'forged' })).status, 403);
    const anonymous = await ApiSession.anonymous(t).page('/billing/checkout', { csrf: 'x' });
    assert.equal(anonymous.status, 303);
    assert.match(String(anonymous.headers.location), /^\/login/);
  });
});

describe('widget pages: CSP', () => {
  const snapshot = (r: RawResponse, url: string): HttpSnapshot => ({ ...r, finalUrl: url }) as unknown as HttpSnapshot;
  const cspOf = (r: RawResponse): Map<string, string[]> => parseCsp(String(r.headers['content-security-policy']));

  it('allows exactly the vendor origins for scripts, frames and connections, and still restricts scripts', async () => {
    const user = await ApiSession.signup(t);
    const vendors = [t.vendors.plaidOrigin, t.vendors.stripeOrigin];
    for (const path of ['/link-bank', '/billing']) {
      const page = await user.page(path);
      const csp = cspOf(page);
      for (const directive of ['script-src', 'connect-src'])
        assert.deepEqual(csp.get(directive), ["'self'", ...vendors], `${path} ${directive}`);
      assert.deepEqual(csp.get('frame-src'), vendors, path);
      assert.deepEqual(csp.get('frame-ancestors'), ["'none'"], path);
      assert.equal(evaluateCsp(snapshot(page, `${t.baseUrl}${path}`)).status, 'pass', path);
    }
    const other = cspOf(await user.page('/dashboard'));
    assert.deepEqual(other.get('script-src'), ["'self'"], 'pages without widgets do not allow the vendors');
    assert.equal(other.get('frame-src'), undefined);
  });

  it('the CSP faults still apply on the widget pages', async () => {
    const user = await ApiSession.signup(t);
    t.setFaults({ unsafe_csp: true });
    assert.ok(
      cspOf(await user.page('/billing'))
        .get('script-src')
        ?.includes("'unsafe-inline'"),
    );
    t.setFaults({ no_csp: true });
    assert.equal((await user.page('/billing')).headers['content-security-policy'], undefined);
  });

  it('the pages load the SDKs from the vendor origins and mount the widgets there', async () => {
    const user = await ApiSession.signup(t);
    assert.match(
      (await user.page('/link-bank')).body,
      new RegExp(`<script src="${t.vendors.plaidOrigin}/link/v2/stable/link-initialize.js"`),
    );
    const billing = (await user.page('/billing')).body;
    assert.match(billing, new RegExp(`<script src="${t.vendors.stripeOrigin}/v3/"`));
    assert.match(billing, /<button type="submit" id="pay-submit">Pay \$12\.00<\/button>/);
    assert.match(billing, /<form [^>]*method="post" action="\/billing\/checkout">/);
    assert.match(billing, new RegExp(`name="csrf" value="${user.csrfToken ?? '-'}"`));
  });
});

describe('vendor faults change only what they say', () => {
  const vendorGet = (url: string): Promise<RawResponse> => request(url, { ca: t.caPem, timeoutMs: 20_000 });
  const linkFrame = (): Promise<RawResponse> =>
    vendorGet(`${t.vendors.plaidOrigin}/link?token=link-sandbox-test&origin=${encodeURIComponent(t.baseUrl)}`);
  const cardFrame = (): Promise<RawResponse> =>
    vendorGet(
      `${t.vendors.stripeOrigin}/elements-inner-card?type=cardNumber&frame=__privateStripeFrame1&key=pk_test_abc&origin=${encodeURIComponent(t.baseUrl)}`,
    );
  /** Each widget step, as a status (or outcome) per step. */
  const widgetSteps = async (): Promise<Record<string, unknown>> => {
    const user = await ApiSession.signup(t);
    const token = await linkToken(user);
    const created = await user.api('POST', '/billing/payment_intents', {});
    const checkout = await user.page('/billing/checkout', { csrf: user.csrfToken ?? '' });
    return {
      linkFrame: (await linkFrame()).status,
      plaidLogIn: (await logInAtPlaid(t, token)).status,
      cardFrame: (await cardFrame()).status,
      cardPayment: (await confirmAtStripe(t, intentOf(created))).status,
      checkoutPage: (await vendorGet(String(checkout.headers.location))).status,
      site: (await user.page('/billing')).status,
    };
  };
  const CLEAN = { linkFrame: 200, plaidLogIn: 200, cardFrame: 200, cardPayment: 200, checkoutPage: 200, site: 200 };

  it('clean: every step works', async () => {
    assert.deepEqual(await widgetSteps(), CLEAN);
  });

  const cases = [
    { fault: 'plaid_link_unavailable', changed: { linkFrame: 503 } },
    { fault: 'plaid_credentials_rejected', changed: { plaidLogIn: 400 } },
    { fault: 'stripe_unavailable', changed: { cardFrame: 503, checkoutPage: 503 } },
    { fault: 'stripe_card_declined', changed: { cardPayment: 402 } },
  ] as const;
  for (const { fault, changed } of cases) {
    it(fault, async () => {
      t.setFaults({ [fault]: true });
      assert.deepEqual(await widgetSteps(), { ...CLEAN, ...changed });
    });
  }

  it('plaid_credentials_rejected says why, as Plaid does', async () => {
    t.setFaults({ plaid_credentials_rejected: true });
    const rejected = await logInAtPlaid(t, await linkToken(await ApiSession.signup(t)));
    assert.equal(rejected.json.display_message, 'The credentials were not correct');
  });

  it('stripe_card_declined declines even 4242 with card_declined', async () => {
    t.setFaults({ stripe_card_declined: true });
    const user = await ApiSession.signup(t);
    const declined = await confirmAtStripe(t, intentOf(await user.api('POST', '/billing/payment_intents', {})));
    assert.equal((declined.json.error as { code: string }).code, 'card_declined');
  });

  it('widgets_slowMs delays the vendor origins, not the site', async () => {
    const slowMs = 1_500;
    t.setFaults({ widgets_slowMs: slowMs });
    const user = await ApiSession.signup(t);
    const timed = async (step: () => Promise<RawResponse>): Promise<number> => {
      const started = performance.now();
      assert.equal((await step()).status, 200);
      return performance.now() - started;
    };
    assert.ok((await timed(linkFrame)) >= slowMs, 'Plaid is slow');
    assert.ok((await timed(cardFrame)) >= slowMs, 'Stripe is slow');
    assert.ok((await timed(() => user.page('/dashboard'))) < slowMs, 'the site is not');
  });

  it('faults given at start and through the admin API reach the vendors; replacing turns them off', async () => {
    const other = await startTarget({ quiet: true, bcryptCost: 4, faults: { plaid_link_unavailable: true } });
    try {
      const frame = (): Promise<RawResponse> =>
        request(`${other.vendors.plaidOrigin}/link?token=link-sandbox-x&origin=${encodeURIComponent(other.baseUrl)}`, { ca: other.caPem });
      assert.equal((await frame()).status, 503);
      const admin = await request(`${other.baseUrl}/__admin/faults`, {
        ca: other.caPem,
        method: 'PUT',
        headers: { Authorization: `Bearer ${other.adminToken}` },
        body: { no_hsts: true },
      });
      assert.equal(admin.status, 200);
      assert.equal((await frame()).status, 200);
    } finally {
      await other.close();
    }
  });
});
