/** The vendor stand-ins over plain HTTPS (no browser): APIs, documents, headers, faults, close(). */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { request, type RawResponse } from '../../test/helpers/target.js';
import { loadLocalCa } from '../ca.js';
import { startVendors, type RunningVendors } from './index.js';

const ca = loadLocalCa();
const leaf = ca.issue();
let v: RunningVendors;

before(async () => {
  v = await startVendors({ tls: { key: leaf.keyPem, cert: leaf.chainPem }, quiet: true });
});
after(async () => {
  await v.close();
});
beforeEach(() => v.setFaults({}));

const get = (url: string, headers: Record<string, string> = {}): Promise<RawResponse> => request(url, { ca: ca.caPem, headers });
const post = (url: string, body: string | object, headers: Record<string, string> = {}): Promise<RawResponse> =>
  request(url, { method: 'POST', body, ca: ca.caPem, headers });
const form = (fields: Record<string, string>, headers: Record<string, string> = {}): [string, Record<string, string>] => [
  new URLSearchParams(fields).toString(),
  { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
];
const json = (r: RawResponse): Record<string, unknown> => JSON.parse(r.body) as Record<string, unknown>;
const APP = 'https://shop.example:8443';

describe('origins', () => {
  it('two separate loopback HTTPS origins, no trailing slash', () => {
    assert.match(v.plaidOrigin, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.match(v.stripeOrigin, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(v.plaidOrigin, v.stripeOrigin);
  });
});

describe('Plaid', () => {
  const linkUrl = (token = 'link-sandbox-abc', origin = APP): string => `${v.plaidOrigin}/link?${new URLSearchParams({ token, origin })}`;
  const credentials = (fields: Record<string, string>): Promise<RawResponse> =>
    post(
      `${v.plaidOrigin}/link/credentials`,
      { link_token: 'link-sandbox-abc', institution_id: 'ins_109511', ...fields },
      { Origin: v.plaidOrigin },
    );

  it('serves the SDK with its own origin written in, loadable from any page', async () => {
    const r = await get(`${v.plaidOrigin}/link/v2/stable/link-initialize.js`);
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-type']), /javascript/);
    assert.ok(r.body.includes(JSON.stringify(v.plaidOrigin)));
    assert.ok(!r.body.includes('__VENDOR_ORIGIN__'));
    assert.equal(r.headers['access-control-allow-origin'], '*');
    assert.equal(r.headers['access-control-allow-credentials'], undefined);
  });

  it('Link document: frameable only by the origin it posts to, institutions listed, strict CSP', async () => {
    const r = await get(linkUrl());
    assert.equal(r.status, 200);
    const csp = String(r.headers['content-security-policy']);
    assert.match(csp, new RegExp(`frame-ancestors ${APP}(;|$)`));
    assert.match(csp, /script-src 'self'/);
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    assert.ok(r.body.includes(`data-parent-origin="${APP}"`));
    for (const name of ['First Platypus Bank', 'Tartan Bank', 'Houndstooth Bank']) assert.ok(r.body.includes(`>${name}</button>`), name);
    assert.ok(r.body.includes('aria-label="Search for your institution"'));
  });

  it('Link document refuses a bad token or a missing/odd origin (400)', async () => {
    assert.equal((await get(linkUrl('not-a-token'))).status, 400);
    assert.equal((await get(linkUrl('link-sandbox-"><script>'))).status, 400);
    assert.equal((await get(`${v.plaidOrigin}/link?token=link-sandbox-abc`)).status, 400);
    assert.equal((await get(linkUrl('link-sandbox-abc', 'javascript:alert(1)'))).status, 400);
    assert.equal((await get(linkUrl('link-sandbox-abc', `${APP}/path`))).status, 400);
  });

  it('link token create, user_good/pass_good → public token → single-use exchange', async () => {
    const created = await post(`${v.plaidOrigin}/link/token/create`, { client_name: 'Shop' });
    assert.equal(created.status, 200);
    assert.match(String(json(created).link_token), /^link-sandbox-/);

    const linked = await credentials({ username: 'user_good', password: 'pass_good' });
    assert.equal(linked.status, 200, linked.body);
    const publicToken = String(json(linked).public_token);
    assert.match(publicToken, /^public-sandbox-[0-9a-f-]{36}$/);

    const exchanged = await post(`${v.plaidOrigin}/item/public_token/exchange`, { public_token: publicToken });
    assert.equal(exchanged.status, 200, exchanged.body);
    const item = json(exchanged) as {
      access_token: string;
      item_id: string;
      institution: { name: string };
      accounts: { account_id: string; mask: string }[];
    };
    assert.match(item.access_token, /^access-sandbox-/);
    assert.ok(item.item_id.length > 10);
    assert.equal(item.institution.name, 'Tartan Bank');
    assert.deepEqual(
      item.accounts.map((a) => a.mask),
      ['0000', '1111'],
    );
    assert.equal(exchanged.headers['access-control-allow-origin'], undefined, 'server-to-server: no CORS');

    const again = await post(`${v.plaidOrigin}/item/public_token/exchange`, { public_token: publicToken });
    assert.equal(again.status, 400);
    assert.equal(json(again).error_code, 'INVALID_PUBLIC_TOKEN');
  });

  it('unknown public token → 400 INVALID_PUBLIC_TOKEN', async () => {
    const r = await post(`${v.plaidOrigin}/item/public_token/exchange`, { public_token: 'public-sandbox-nope' });
    assert.equal(r.status, 400);
    assert.equal(json(r).error_code, 'INVALID_PUBLIC_TOKEN');
  });

  it('wrong credentials → "The credentials were not correct"; only Link itself may submit credentials', async () => {
    const wrong = await credentials({ username: 'user_good', password: 'nope' });
    assert.equal(wrong.status, 400);
    assert.equal(json(wrong).display_message, 'The credentials were not correct');
    const foreign = await post(
      `${v.plaidOrigin}/link/credentials`,
      { link_token: 'link-sandbox-abc', institution_id: 'ins_109511' },
      { Origin: APP },
    );
    assert.equal(foreign.status, 403);
  });

  it('fault plaidCredentialsRejected: even the sandbox credentials are rejected', async () => {
    v.setFaults({ plaidCredentialsRejected: true });
    const r = await credentials({ username: 'user_good', password: 'pass_good' });
    assert.equal(r.status, 400);
    assert.equal(json(r).error_code, 'INVALID_CREDENTIALS');
  });

  it('fault plaidUnavailable: the Link document answers 503 with a short page; the SDK still loads', async () => {
    v.setFaults({ plaidUnavailable: true });
    const r = await get(linkUrl());
    assert.equal(r.status, 503);
    assert.match(r.body, /<h1>Plaid is unavailable<\/h1>/);
    assert.equal((await get(`${v.plaidOrigin}/link/v2/stable/link-initialize.js`)).status, 200);
  });

  it('unknown path 404 and wrong method 405, as Plaid-shaped JSON', async () => {
    const missing = await get(`${v.plaidOrigin}/nope`);
    assert.equal(missing.status, 404);
    assert.equal(json(missing).error_code, 'NOT_FOUND');
    const wrongMethod = await get(`${v.plaidOrigin}/item/public_token/exchange`);
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers.allow, 'POST');
  });
});

describe('Stripe payment intents', () => {
  const createIntent = async (): Promise<{ id: string; client_secret: string }> => {
    const r = await post(`${v.stripeOrigin}/v1/payment_intents`, ...form({ amount: '1250', currency: 'usd', description: 'Plan' }));
    assert.equal(r.status, 200, r.body);
    return json(r) as { id: string; client_secret: string };
  };
  const confirm = (
    intent: { id: string; client_secret: string },
    card: Partial<Record<'number' | 'exp_month' | 'exp_year' | 'cvc', string>>,
  ) =>
    post(
      `${v.stripeOrigin}/v1/payment_intents/${intent.id}/confirm`,
      ...form(
        {
          client_secret: intent.client_secret,
          'payment_method_data[card][number]': card.number ?? '4242424242424242',
          'payment_method_data[card][exp_month]': card.exp_month ?? '12',
          'payment_method_data[card][exp_year]': card.exp_year ?? '2034',
          'payment_method_data[card][cvc]': card.cvc ?? '123',
        },
        { Origin: APP },
      ),
    );

  it('create (form or JSON) → pi_ id and client secret; bad amount → 400', async () => {
    const intent = await createIntent();
    assert.match(intent.id, /^pi_[A-Za-z0-9]+$/);
    assert.ok(intent.client_secret.startsWith(`${intent.id}_secret_`));
    const viaJson = await post(`${v.stripeOrigin}/v1/payment_intents`, { amount: 500, currency: 'EUR' });
    assert.equal(viaJson.status, 200);
    assert.equal(json(viaJson).currency, 'eur');
    assert.equal(json(viaJson).status, 'requires_payment_method');
    const bad = await post(`${v.stripeOrigin}/v1/payment_intents`, { amount: -5 });
    assert.equal(bad.status, 400);
    assert.equal((json(bad).error as { type: string }).type, 'invalid_request_error');
  });

  it('4242… succeeds (CORS open, no credentials); GET shows status and last4; a second confirm is refused', async () => {
    const intent = await createIntent();
    const r = await confirm(intent, {});
    assert.equal(r.status, 200, r.body);
    assert.equal(json(r).status, 'succeeded');
    assert.equal(r.headers['access-control-allow-origin'], '*');
    assert.equal(r.headers['access-control-allow-credentials'], undefined);
    const read = json(await get(`${v.stripeOrigin}/v1/payment_intents/${intent.id}`));
    assert.deepEqual([read.status, read.amount, read.currency, read.last4], ['succeeded', 1250, 'usd', '4242']);
    const again = await confirm(intent, {});
    assert.equal(again.status, 400);
    assert.equal((json(again).error as { code: string }).code, 'payment_intent_unexpected_state');
  });

  it('4000 0000 0000 0002 → 402 card_declined / generic_decline; the intent stays unpaid', async () => {
    const intent = await createIntent();
    const r = await confirm(intent, { number: '4000 0000 0000 0002' });
    assert.equal(r.status, 402);
    const error = json(r).error as Record<string, unknown>;
    assert.deepEqual(
      [error.type, error.code, error.decline_code, error.message],
      ['card_error', 'card_declined', 'generic_decline', 'Your card was declined.'],
    );
    assert.equal(json(await get(`${v.stripeOrigin}/v1/payment_intents/${intent.id}`)).status, 'requires_payment_method');
  });

  it('incomplete number, past expiry and short CVC are named', async () => {
    const codes = [];
    for (const card of [{ number: '4242' }, { number: '4242424242424241' }, { exp_year: '2001' }, { exp_month: '13' }, { cvc: '1' }]) {
      const r = await confirm(await createIntent(), card);
      codes.push((json(r).error as { code: string }).code);
    }
    assert.deepEqual(codes, ['incomplete_number', 'invalid_number', 'invalid_expiry_year_past', 'invalid_expiry_month', 'incomplete_cvc']);
  });

  it('wrong client secret → 404; preflight allowed from any origin', async () => {
    const intent = await createIntent();
    const r = await confirm({ id: intent.id, client_secret: `${intent.id}_secret_wrong` }, {});
    assert.equal(r.status, 404);
    const pre = await request(`${v.stripeOrigin}/v1/payment_intents/${intent.id}/confirm`, {
      method: 'OPTIONS',
      ca: ca.caPem,
      headers: { Origin: APP, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers['access-control-allow-origin'], '*');
    assert.match(String(pre.headers['access-control-allow-headers']), /Content-Type/);
  });

  it('fault stripeDeclineAll: even 4242… is declined', async () => {
    v.setFaults({ stripeDeclineAll: true });
    const r = await confirm(await createIntent(), {});
    assert.equal(r.status, 402);
    assert.equal((json(r).error as { code: string }).code, 'card_declined');
  });
});

describe('Stripe Elements frames', () => {
  const frameUrl = (params: Record<string, string>): string =>
    `${v.stripeOrigin}/elements-inner-card?${new URLSearchParams({ type: 'cardNumber', origin: APP, frame: '__privateStripeFrame1234', key: 'pk_test_abc', ...params })}`;

  it('one input per frame with the real placeholders and labels, frameable only by the embedding origin', async () => {
    const expected = {
      cardNumber: ['1234 1234 1234 1234', 'Credit or debit card number'],
      cardExpiry: ['MM / YY', 'Credit or debit card expiration date'],
      cardCvc: ['CVC', 'Credit or debit card CVC'],
    };
    for (const [type, [placeholder, label]] of Object.entries(expected)) {
      const r = await get(frameUrl({ type }));
      assert.equal(r.status, 200, type);
      assert.ok(r.body.includes(`placeholder="${placeholder}"`) && r.body.includes(`aria-label="${label}"`), type);
      assert.match(String(r.headers['content-security-policy']), new RegExp(`frame-ancestors ${APP}(;|$)`));
    }
  });

  it('bad parameters → 400; the SDK is served with its origin', async () => {
    assert.equal((await get(frameUrl({ type: 'iban' }))).status, 400);
    assert.equal((await get(frameUrl({ frame: '"><img>' }))).status, 400);
    assert.equal((await get(frameUrl({ key: 'sk_test_abc' }))).status, 400);
    const sdk = await get(`${v.stripeOrigin}/v3/`);
    assert.equal(sdk.status, 200);
    assert.ok(sdk.body.includes(JSON.stringify(v.stripeOrigin)));
  });

  it('fault stripeUnavailable: frames answer 503', async () => {
    v.setFaults({ stripeUnavailable: true });
    assert.equal((await get(frameUrl({}))).status, 503);
  });
});

describe('Stripe hosted Checkout', () => {
  const createSession = async (fields: Record<string, string> = {}): Promise<{ id: string; url: string }> => {
    const r = await post(
      `${v.stripeOrigin}/v1/checkout/sessions`,
      ...form({
        amount: '4900',
        currency: 'usd',
        description: 'Plus <b>yearly</b>',
        success_url: `${APP}/done?x=1`,
        cancel_url: `${APP}/cart`,
        ...fields,
      }),
    );
    assert.equal(r.status, 200, r.body);
    return json(r) as { id: string; url: string };
  };
  const pay = (id: string, fields: Record<string, string>) =>
    post(
      `${v.stripeOrigin}/c/pay/${id}`,
      ...form({
        email: 'a@example.com',
        cardNumber: '4242 4242 4242 4242',
        cardExpiry: '12 / 34',
        cardCvc: '123',
        billingName: 'Ada',
        ...fields,
      }),
    );

  it('create → cs_test_ id and a page URL on the Stripe origin; bad URLs refused', async () => {
    const session = await createSession();
    assert.match(session.id, /^cs_test_/);
    assert.equal(session.url, `${v.stripeOrigin}/c/pay/${session.id}`);
    const missing = await post(`${v.stripeOrigin}/v1/checkout/sessions`, ...form({ amount: '100' }));
    assert.equal(missing.status, 400);
    const script = await post(`${v.stripeOrigin}/v1/checkout/sessions`, ...form({ amount: '100', success_url: 'javascript:alert(1)' }));
    assert.equal(script.status, 400);
  });

  it('page: labelled inputs, escaped description, not frameable, may redirect only to the shop', async () => {
    const session = await createSession();
    const r = await get(session.url);
    assert.equal(r.status, 200);
    assert.ok(r.body.includes('Plus &lt;b&gt;yearly&lt;/b&gt;') && !r.body.includes('<b>yearly'));
    for (const label of ['Email', 'Card number', 'Expiration (MM / YY)', 'CVC', 'Cardholder name'])
      assert.ok(r.body.includes(`>${label}</label>`), label);
    assert.ok(r.body.includes('<button type="submit">Pay</button>'));
    assert.equal(r.headers['x-frame-options'], 'DENY');
    assert.match(String(r.headers['content-security-policy']), new RegExp(`form-action 'self' ${APP}(;|$)`));
  });

  it('4242… → 303 to success_url with session_id and redirect_status=succeeded; session complete and paid', async () => {
    const session = await createSession();
    const r = await pay(session.id, {});
    assert.equal(r.status, 303, r.body);
    const location = new URL(String(r.headers.location));
    assert.equal(location.origin + location.pathname, `${APP}/done`);
    assert.deepEqual(
      [location.searchParams.get('x'), location.searchParams.get('session_id'), location.searchParams.get('redirect_status')],
      ['1', session.id, 'succeeded'],
    );
    const read = json(await get(`${v.stripeOrigin}/v1/checkout/sessions/${session.id}`));
    assert.deepEqual([read.status, read.payment_status, read.amount_total], ['complete', 'paid', 4900]);
  });

  it('decline stays on the page with an alert; the session stays open', async () => {
    const session = await createSession();
    const r = await pay(session.id, { cardNumber: '4000000000000002' });
    assert.equal(r.status, 402);
    assert.ok(r.body.includes('<p role="alert">Your card was declined.</p>'));
    assert.ok(r.body.includes('value="a@example.com"'), 'keeps the email typed');
    assert.ok(!r.body.includes('4000000000000002'), 'never echoes the card number');
    const read = json(await get(`${v.stripeOrigin}/v1/checkout/sessions/${session.id}`));
    assert.deepEqual([read.status, read.payment_status], ['open', 'unpaid']);
  });

  it('faults: stripeDeclineAll declines 4242…; stripeUnavailable answers 503', async () => {
    const session = await createSession();
    v.setFaults({ stripeDeclineAll: true });
    assert.equal((await pay(session.id, {})).status, 402);
    v.setFaults({ stripeUnavailable: true });
    assert.equal((await get(session.url)).status, 503);
    assert.equal((await pay(session.id, {})).status, 503);
  });

  it('unknown session → 404 page and 404 JSON', async () => {
    assert.equal((await get(`${v.stripeOrigin}/c/pay/cs_test_nope`)).status, 404);
    const r = await get(`${v.stripeOrigin}/v1/checkout/sessions/cs_test_nope`);
    assert.equal(r.status, 404);
    assert.equal((json(r).error as { code: string }).code, 'resource_missing');
  });
});

describe('faults', () => {
  it('replace by default, merge on request; invalid values throw and change nothing', () => {
    v.setFaults({ plaidUnavailable: true });
    v.setFaults({ slowMs: 5 }, 'merge');
    assert.deepEqual(v.faults(), {
      plaidUnavailable: true,
      plaidCredentialsRejected: false,
      stripeUnavailable: false,
      stripeDeclineAll: false,
      slowMs: 5,
    });
    v.setFaults({ stripeDeclineAll: true });
    assert.equal(v.faults().plaidUnavailable, false);
    assert.throws(() => v.setFaults({ slowMs: 120_001 }));
    assert.throws(() => v.setFaults({ slowMs: -1 }));
    assert.throws(() => v.setFaults({ nope: true } as never));
    assert.equal(v.faults().stripeDeclineAll, true);
  });

  it('slowMs delays every response by at least that long', async () => {
    v.setFaults({ slowMs: 400 });
    const started = performance.now();
    await Promise.all([get(`${v.stripeOrigin}/v3/`), get(`${v.plaidOrigin}/link/v2/stable/link-initialize.js`)]);
    assert.ok(performance.now() - started >= 390, `took ${performance.now() - started} ms`);
  });
});

describe('close()', () => {
  it('resolves promptly with a slow request in flight and open connections', async () => {
    const own = await startVendors({ tls: { key: leaf.keyPem, cert: leaf.chainPem }, quiet: true, faults: { slowMs: 60_000 } });
    const pending = get(`${own.stripeOrigin}/v3/`).then(
      () => 'answered',
      () => 'failed',
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = performance.now();
    await own.close();
    assert.ok(performance.now() - started < 1000, `close took ${performance.now() - started} ms`);
    assert.equal(await pending, 'failed');
  });
});
