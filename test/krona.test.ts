// Long on purpose: one test per Krona behaviour and per fault switch, sharing one running Krona.
/**
 * Krona, the second test app (test/fixtures/krona): its own behaviour over HTTP, and that every fault
 * switch changes exactly what it says. vor-watch's verdict on it (from examples/krona.config.yml) is in
 * krona-portability.test.ts.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { KRONA_FAULT_NAMES, KRONA_FAULTS, parseKronaFaultList } from './fixtures/krona/faults.js';
import { startKrona, type RunningKrona } from './fixtures/krona/server.js';
import { KronaClient } from './fixtures/krona/test-client.js';

let krona: RunningKrona;
const clients: KronaClient[] = [];
const client = (): KronaClient => {
  const c = new KronaClient(krona.baseUrl, krona.caPem);
  clients.push(c);
  return c;
};
const support = { authorization: '' };

before(async () => {
  krona = await startKrona({ quiet: true, bcryptCost: 4, testUser: { email: 'pat@krona.test', password: 'correct horse battery staple' } });
  support.authorization = `Bearer ${krona.supportToken}`;
});
after(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await krona.close();
});
afterEach(async () => {
  krona.setFaults({});
  await client().send('/__support/reset-ratelimit', { method: 'POST', headers: support });
});

async function throwawayUser(): Promise<{ id: string; login: string; secret: string }> {
  const created = await client().send('/__support/users', { method: 'POST', headers: support });
  assert.equal(created.status, 201, created.text);
  return created.json<{ account: { id: string; login: string; secret: string } }>().account;
}

async function signedIn(login = krona.testUser.email, secret = krona.testUser.password): Promise<KronaClient> {
  const c = client();
  const answer = await c.signIn(login, secret);
  assert.equal(answer.status, 204, answer.text);
  return c;
}

describe('transport, headers and files', () => {
  test('plain HTTP answers one 301 to the same path on HTTPS, which the exported CA trusts', async () => {
    const plain = await client().send(`${krona.httpUrl}/join?from=ad`);
    assert.equal(plain.status, 301);
    assert.equal(plain.headers.location, `${krona.baseUrl}/join?from=ad`);
    assert.equal((await client().send('/')).status, 200);
  });

  test('pages and API carry the security headers; the CSP nonce is the scripts’ nonce and allows exactly the vendor origins', async () => {
    for (const path of ['/', '/api/v2']) {
      const answer = await client().send(path);
      assert.equal(answer.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains', path);
      assert.equal(answer.headers['x-content-type-options'], 'nosniff');
      assert.equal(answer.headers['referrer-policy'], 'strict-origin-when-cross-origin');
      assert.ok(answer.headers['permissions-policy']);
      assert.equal(answer.headers['cross-origin-opener-policy'], 'same-origin');
      assert.equal(answer.headers.server, 'krona');
      assert.equal(answer.headers['x-powered-by'], undefined);
      assert.equal(answer.headers['cache-control'], 'no-store');
      const csp = answer.headers['content-security-policy'] ?? '';
      const { plaidOrigin, stripeOrigin } = krona.vendors;
      assert.match(csp, new RegExp(`script-src 'self' 'nonce-[^']+' ${plaidOrigin} ${stripeOrigin};`));
      assert.match(csp, new RegExp(`frame-src ${plaidOrigin} ${stripeOrigin};`));
      assert.match(csp, new RegExp(`connect-src 'self' ${plaidOrigin} ${stripeOrigin};`));
      assert.match(csp, /frame-ancestors 'none'/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    }
    const landing = await client().send('/');
    const nonce = /'nonce-([^']+)'/.exec(landing.headers['content-security-policy'] ?? '')?.[1];
    const scriptNonces = [...landing.text.matchAll(/<script nonce="([^"]+)"/g)].map((m) => m[1]);
    assert.ok(scriptNonces.length >= 2);
    assert.ok(scriptNonces.every((n) => n === nonce));
  });

  test('the main site has no /health and exposes no files; health lives on the ops origin', async () => {
    for (const path of ['/health', '/.env', '/.git/config', '/.git/HEAD', '/backup.sql', '/static/app.js.map']) {
      assert.equal((await client().send(path)).status, 404, path);
    }
    const health = await client().send(krona.healthUrl);
    assert.equal(health.status, 200);
    assert.match(health.headers['content-type'] ?? '', /json/);
    assert.deepEqual(
      { status: health.json().status, database: (health.json().checks as { database: { status: string } }).database.status },
      { status: 'pass', database: 'pass' },
    );
    assert.notEqual(new URL(krona.healthUrl).origin, krona.baseUrl);
  });

  test('static assets are fingerprinted, compressed and immutable; scripts hold a live-shaped key and no secret', async () => {
    const landing = await client().send('/');
    const assets = [...landing.text.matchAll(/(?:src|href)="(\/static\/[^"]+)"/g)].map((m) => m[1]!);
    assert.ok(assets.some((a) => /^\/static\/app\.[0-9a-f]{12}\.js$/.test(a)));
    assert.ok(assets.some((a) => /\.css$/.test(a)));
    for (const asset of assets) {
      const answer = await client().send(asset, { headers: { 'accept-encoding': 'br, gzip' } });
      assert.equal(answer.status, 200, asset);
      assert.equal(answer.headers['cache-control'], 'public, max-age=31536000, immutable');
      // The config script is too small to be worth compressing; every other script and stylesheet is.
      if (/\.(js|css)$/.test(asset) && !asset.includes('/config.')) assert.equal(answer.headers['content-encoding'], 'br', asset);
    }
    const config = assets.find((a) => a.includes('/config.'))!;
    const body = (await client().send(config)).text;
    assert.match(body, /pk_live_/);
    assert.doesNotMatch(body, /sk_(live|test)_|pk_test_|sandbox/);
    assert.match(landing.text, /<img [^>]*width="960" height="400" loading="lazy"/);
  });

  test('robots.txt points at a sitemap that lists exactly the public routes', async () => {
    assert.match((await client().send('/robots.txt')).text, new RegExp(`Sitemap: ${krona.baseUrl}/sitemap.xml`));
    const sitemap = (await client().send('/sitemap.xml')).text;
    const locs = [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]!).pathname);
    assert.deepEqual(locs, ['/', '/auth/sign-in', '/join', '/legal/privacy', '/legal/terms']);
    for (const path of locs) assert.equal((await client().send(path)).status, 200, path);
  });
});

describe('landing and legal pages', () => {
  test('the landing page: h1, footer links, a consent region, and only the pre-session cookie before consent', async () => {
    const landing = await client().send('/');
    assert.match(landing.text, /<h1>[^<]+<\/h1>/);
    const footer = /<footer>[\s\S]*<\/footer>/.exec(landing.text)?.[0] ?? '';
    assert.match(footer, /<a href="\/legal\/privacy">Privacy notice<\/a>/);
    assert.match(footer, /<a href="\/legal\/terms">Terms of service<\/a>/);
    assert.match(landing.text, /role="region" aria-label="Cookie preferences"/);
    assert.match(landing.text, /<button type="button" data-consent-choice="all">Allow all<\/button>/);
    assert.match(landing.text, /<button type="button" data-consent-choice="necessary">Only necessary<\/button>/);
    assert.doesNotMatch(landing.text, /analytics\.[0-9a-f]+\.js" defer/);
    assert.deepEqual(
      landing.setCookies.map((c) => c.split('=')[0]),
      ['krona_pre'],
    );
    assert.match(landing.setCookies[0]!, /; Secure; HttpOnly; SameSite=Lax/);
  });

  test('a visitor who already chose sees no consent region', async () => {
    const c = client();
    c.cookies.set('krona_consent', 'necessary');
    assert.doesNotMatch((await c.send('/')).text, /Cookie preferences/);
  });

  test('privacy notice and terms are real pages with an h1', async () => {
    assert.match((await client().send('/legal/privacy')).text, /<h1>Privacy notice<\/h1>[\s\S]*krona_sid/);
    assert.match((await client().send('/legal/terms')).text, /<h1>Terms of service<\/h1>/);
  });
});

describe('signing in', () => {
  test('API login: form-encoded username/passphrase with the meta CSRF token → 204 and a short-lived, locked-down krona_sid', async () => {
    const c = client();
    const answer = await c.signIn(krona.testUser.email, krona.testUser.password);
    assert.equal(answer.status, 204);
    const cookie = answer.setCookies.find((s) => s.startsWith('krona_sid='));
    assert.ok(cookie);
    assert.match(cookie, /; Path=\/; Max-Age=28800; Secure; HttpOnly; SameSite=Lax$/);
    assert.equal((await c.send('/api/v2/me')).json<{ profile: { email: string } }>().profile.email, krona.testUser.email);
  });

  test('API login refuses a wrong passphrase (401 JSON), JSON bodies (415) and a missing token (403 csrf)', async () => {
    const c = client();
    const token = await c.csrfFrom('/auth/sign-in');
    const wrong = await c.send('/api/v2/sessions', {
      form: { username: krona.testUser.email, passphrase: 'nope' },
      headers: { 'x-krona-csrf': token },
    });
    assert.equal(wrong.status, 401);
    assert.deepEqual(wrong.json(), { error: 'invalid_credentials', message: 'That email and passphrase do not match' });
    const json = await c.send('/api/v2/sessions', {
      json: { username: krona.testUser.email, passphrase: krona.testUser.password },
      headers: { 'x-krona-csrf': token },
    });
    assert.equal(json.status, 415);
    const noToken = await c.send('/api/v2/sessions', { form: { username: krona.testUser.email, passphrase: krona.testUser.password } });
    assert.equal(noToken.status, 403);
    assert.equal(noToken.json().error, 'csrf');
    assert.equal(noToken.setCookies.length, 0);
  });

  test('the sign-in form: a wrong passphrase shows the alert; the right one 303s to /home', async () => {
    const c = client();
    const token = await c.csrfFrom('/auth/sign-in');
    const wrong = await c.send('/auth/sign-in', { form: { _csrf: token, username: krona.testUser.email, passphrase: 'nope' } });
    assert.equal(wrong.status, 401);
    assert.match(wrong.text, /<p role="alert" class="alert">That email and passphrase do not match<\/p>/);
    const right = await c.send('/auth/sign-in', {
      form: { _csrf: token, username: krona.testUser.email, passphrase: krona.testUser.password },
    });
    assert.equal(right.status, 303);
    assert.equal(right.headers.location, '/home');
    assert.match((await c.send('/home')).text, /<h1>Overview<\/h1>/);
  });

  test('after 5 failed sign-ins per minute for an (IP, username) the 6th gets 429 with Retry-After; other usernames are unaffected', async () => {
    const c = client();
    const token = await c.csrfFrom('/auth/sign-in');
    const attempt = (username: string) =>
      c.send('/api/v2/sessions', { form: { username, passphrase: 'wrong-wrong' }, headers: { 'x-krona-csrf': token } });
    const statuses = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await attempt('victim@krona.test')).status);
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429]);
    const limited = await attempt('victim@krona.test');
    assert.ok(Number(limited.headers['retry-after']) > 0);
    assert.equal((await attempt('someone-else@krona.test')).status, 401);
    assert.equal((await c.signIn(krona.testUser.email, krona.testUser.password)).status, 204);
  });

  test('refused attempts of any kind count, so a burst without a token is limited too', async () => {
    const statuses = [];
    for (let i = 0; i < 6; i += 1) {
      statuses.push((await client().send('/api/v2/sessions', { json: { email: 'x@invalid.example', password: 'y' } })).status);
    }
    assert.deepEqual(statuses, [415, 415, 415, 415, 415, 429]);
  });

  test('signing out ends the session: the old cookie no longer reads data', async () => {
    const c = await signedIn();
    const old = c.cookies.get('krona_sid')!;
    const token = await c.csrfFrom('/home');
    const out = await c.send('/auth/sign-out', { form: { _csrf: token } });
    assert.equal(out.status, 303);
    assert.equal(out.headers.location, '/auth/sign-in?signed_out=1');
    const replay = client();
    replay.cookies.set('krona_sid', old);
    assert.equal((await replay.send('/api/v2/me/export')).status, 401);
    assert.equal((await replay.send('/home')).status, 303);
  });
});

describe('joining with email verification', () => {
  test('sign-up → check your inbox → no sign-in until verified → the support API hands out the token → verified and signed in', async () => {
    const c = client();
    const email = `new-${Date.now()}@work.example`;
    const token = await c.csrfFrom('/join');
    const joined = await c.send('/join', { form: { _csrf: token, full_name: 'Ada Berg', email, passphrase: 'a long enough passphrase' } });
    assert.equal(joined.status, 303);
    assert.equal(joined.headers.location, '/join/check-inbox');
    assert.match((await c.send('/join/check-inbox')).text, /<h1>Check your inbox<\/h1>/);

    const early = await c.signIn(email, 'a long enough passphrase');
    assert.equal(early.status, 403);
    assert.equal(early.json().error, 'email_not_verified');

    assert.equal((await client().send(`/__support/verification?email=${encodeURIComponent(email)}`)).status, 401);
    const pending = await client().send(`/__support/verification?email=${encodeURIComponent(email)}`, { headers: support });
    assert.equal(pending.status, 200);
    const verificationToken = pending.json<{ token: string }>().token;
    const verified = await c.send(`/join/verify?token=${verificationToken}`);
    assert.equal(verified.status, 303);
    assert.equal(verified.headers.location, '/home?welcome=1');
    const home = await c.send('/home');
    assert.match(home.text, /<h1>Overview<\/h1>/);
    assert.doesNotMatch(home.text, /data-testid="account-row"/);
    assert.match(home.text, /<caption>Recent activity<\/caption>[\s\S]*No activity yet\./);
    assert.equal((await c.send(`/join/verify?token=${verificationToken}`)).status, 400);
    assert.equal((await client().signIn(email, 'a long enough passphrase')).status, 204);
  });

  test('the join form explains what is wrong', async () => {
    const c = client();
    const token = await c.csrfFrom('/join');
    const short = await c.send('/join', { form: { _csrf: token, full_name: 'A', email: 'a@work.example', passphrase: 'short' } });
    assert.equal(short.status, 422);
    assert.match(short.text, /role="alert"[^>]*>Choose a passphrase of at least 12 characters\./);
    const taken = await c.send('/join', {
      form: { _csrf: token, full_name: 'A', email: krona.testUser.email, passphrase: 'long enough passphrase' },
    });
    assert.equal(taken.status, 422);
  });
});

describe('test-support API', () => {
  test('creates a verified throwaway user that can sign in, deletes it idempotently, and refuses a wrong token', async () => {
    const user = await throwawayUser();
    assert.match(user.id, /^usr_/);
    assert.match(user.login, /@krona\.test$/);
    assert.ok(user.secret.length >= 16);
    assert.ok(krona.issuedSecrets().includes(user.secret));
    const c = await signedIn(user.login, user.secret);
    assert.doesNotMatch((await c.send('/home')).text, /data-testid="account-row"/);
    for (let i = 0; i < 2; i += 1) {
      assert.equal((await client().send(`/__support/users/${user.id}`, { method: 'DELETE', headers: support })).status, 204);
    }
    assert.equal((await client().signIn(user.login, user.secret)).status, 401);
    assert.equal((await client().send('/__support/users', { method: 'POST' })).status, 401);
    assert.equal((await client().send('/__support/users', { method: 'POST', headers: { authorization: 'Bearer wrong' } })).status, 401);
  });
});

describe('signed-in pages and API', () => {
  test('the pre-provisioned user sees accounts (institution, ···mask) and a Recent activity table', async () => {
    const home = (await (await signedIn()).send('/home')).text;
    const rows = [...home.matchAll(/<li data-testid="account-row">([\s\S]*?)<\/li>/g)].map((m) =>
      m[1]!.replace(/<[^>]+>/g, '').replace(/\s+/g, ' '),
    );
    assert.equal(rows.length, 2);
    assert.match(rows[1]!, /Tartan Bank .*···1234/);
    assert.match(home, /<caption>Recent activity<\/caption>/);
    assert.equal([...home.matchAll(/<tr><td>\d{4}-\d\d-\d\d<\/td>/g)].length, 8);
  });

  test('pages carry the labels the flows use', async () => {
    const c = await signedIn();
    const connect = (await c.send('/accounts/connect')).text;
    assert.match(connect, /<button type="button" data-connect-account>Connect an account<\/button>/);
    assert.ok(connect.includes(`src="${krona.vendors.plaidOrigin}/link/v2/stable/link-initialize.js"`));
    assert.match((await c.send('/payments/new')).text, /<button type="submit">Continue to payment<\/button>/);
    const me = (await c.send('/me')).text;
    assert.match(me, /<button type="submit">Export my data<\/button>/);
    assert.match(me, /<label for="close-confirm">Type your email to confirm<\/label>/);
    assert.match(me, /<button type="submit" class="danger">Close my account<\/button>/);
    assert.match(me, /<button type="submit" class="linkish">Sign out<\/button>/);
    assert.equal((await client().send('/me')).headers.location, '/auth/sign-in?next=%2Fme');
  });

  test('lookup answers JSON; odd input gets a generic 400, never a stack trace', async () => {
    const plain = await client().send('/api/v2/lookup?term=bank');
    assert.equal(plain.status, 200);
    assert.equal((plain.json().results as unknown[]).length, 3);
    for (const term of [encodeURIComponent("'"), encodeURIComponent("1' OR '1'='1' --"), '%%%27%22']) {
      const odd = await client().send(`/api/v2/lookup?term=${term}`);
      assert.equal(odd.status, 400);
      assert.doesNotMatch(odd.text, /SQLITE|at \w+ \(|stack/i);
    }
  });

  test('transfers need the session, the CSRF token and a trusted Origin', async () => {
    const c = await signedIn();
    const token = await c.csrfFrom('/home');
    const body = { json: { amount: '12.50' } };
    assert.equal((await c.send('/api/v2/transfers', body)).status, 403);
    assert.equal(
      (await c.send('/api/v2/transfers', { ...body, headers: { origin: 'https://attacker.invalid', 'x-krona-csrf': token } })).status,
      403,
    );
    const ok = await c.send('/api/v2/transfers', { ...body, headers: { origin: krona.baseUrl, 'x-krona-csrf': token } });
    assert.equal(ok.status, 201);
    assert.equal((ok.json().transfer as { amount: string }).amount, '12.50');
    assert.equal((await client().send('/api/v2/transfers', { ...body, headers: { 'x-krona-csrf': token } })).status, 403);
  });

  test('CORS grants only the own origin, with credentials', async () => {
    const preflight = (origin: string) =>
      client().send('/api/v2/transfers', {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
    const own = await preflight(krona.baseUrl);
    assert.equal(own.status, 204);
    assert.equal(own.headers['access-control-allow-origin'], krona.baseUrl);
    assert.equal(own.headers['access-control-allow-credentials'], 'true');
    for (const origin of ['https://attacker.invalid', 'null', `${krona.baseUrl}.attacker.invalid`]) {
      assert.equal((await preflight(origin)).headers['access-control-allow-origin'], undefined, origin);
    }
  });

  test('export: a JSON attachment with profile, accounts, transactions and payments', async () => {
    const exported = await (await signedIn()).send('/api/v2/me/export');
    assert.equal(exported.status, 200);
    assert.match(exported.headers['content-disposition'] ?? '', /^attachment; filename="krona-export-\d{4}-\d\d-\d\d\.json"$/);
    assert.equal(exported.headers['cache-control'], 'no-store');
    const data = exported.json<{ profile: { email: string }; accounts: unknown[]; transactions: unknown[]; payments: unknown[] }>();
    assert.equal(data.profile.email, krona.testUser.email);
    assert.equal(data.accounts.length, 2);
    assert.equal(data.transactions.length, 8);
    assert.deepEqual(data.payments, []);
  });

  test('closing the account needs the typed email; afterwards sign-in and export fail', async () => {
    const user = await throwawayUser();
    const c = await signedIn(user.login, user.secret);
    const token = await c.csrfFrom('/me');
    const mismatch = await c.send('/api/v2/me/close', { form: { _csrf: token, confirm: 'someone@else.example' } });
    assert.equal(mismatch.headers.location, '/me?close=mismatch');
    const closed = await c.send('/api/v2/me/close', { form: { _csrf: token, confirm: user.login.toUpperCase() } });
    assert.equal(closed.status, 303);
    assert.equal(closed.headers.location, '/goodbye');
    assert.match((await c.send('/goodbye')).text, /Your account has been closed/);
    assert.equal((await c.send('/api/v2/me/export')).status, 401);
    assert.equal((await client().signIn(user.login, user.secret)).status, 401);
  });
});

describe('vendors: bank link exchange and hosted checkout, server side', () => {
  test('a link token comes from Plaid; a malformed public token is refused before it reaches Plaid', async () => {
    const c = await signedIn();
    const token = await c.csrfFrom('/accounts/connect');
    const link = await c.send('/api/v2/bank-links/token', { json: {}, headers: { 'x-krona-csrf': token } });
    assert.equal(link.status, 201);
    assert.match(link.json<{ link_token: string }>().link_token, /^link-sandbox-/);
    const bad = await c.send('/api/v2/bank-links', { json: { public_token: 'nope' }, headers: { 'x-krona-csrf': token } });
    assert.equal(bad.status, 400);
  });

  test('a bank linked at Plaid (sandbox credentials) is exchanged server side and shows on /home', async () => {
    const user = await throwawayUser();
    const c = await signedIn(user.login, user.secret);
    const token = await c.csrfFrom('/accounts/connect');
    const link = await c.send('/api/v2/bank-links/token', { json: {}, headers: { 'x-krona-csrf': token } });
    const linked = await linkAtPlaid(c, link.json<{ link_token: string }>().link_token);
    assert.equal(linked.status, 200, linked.text);
    const exchanged = await c.send('/api/v2/bank-links', {
      json: { public_token: linked.json<{ public_token: string }>().public_token },
      headers: { 'x-krona-csrf': token },
    });
    assert.equal(exchanged.status, 201, exchanged.text);
    const home = (await c.send('/home')).text;
    assert.match(home, /<li data-testid="account-row">\s*<span class="institution">Tartan Bank<\/span>/);
  });

  test('Continue to payment → 303 to the vendor; paying there returns to /payments/complete, which verifies and lists the payment', async () => {
    const user = await throwawayUser();
    const c = await signedIn(user.login, user.secret);
    const token = await c.csrfFrom('/payments/new');
    const started = await c.send('/payments/checkout', { form: { _csrf: token } });
    assert.equal(started.status, 303);
    const checkoutUrl = started.headers.location!;
    assert.equal(new URL(checkoutUrl).origin, krona.vendors.stripeOrigin);
    const back = await payOnHostedCheckout(c, checkoutUrl, '4242 4242 4242 4242');
    assert.equal(back.status, 303);
    const successUrl = new URL(back.headers.location!);
    assert.equal(successUrl.origin + successUrl.pathname, `${krona.baseUrl}/payments/complete`);
    assert.equal(successUrl.searchParams.get('redirect_status'), 'succeeded');
    const complete = await c.send(successUrl.href);
    assert.equal(complete.status, 200);
    assert.match(complete.text, /<h1>Payment received<\/h1>/);
    assert.match(complete.text, /<li data-testid="payment-row">€9\.00 · Krona Plus · Paid/);
    assert.equal((await c.send(successUrl.href)).text.match(/data-testid="payment-row"/g)?.length, 1, 'a reload does not pay twice');
    const forged = await c.send('/payments/complete?session_id=cs_test_forged&redirect_status=succeeded');
    assert.equal(forged.status, 400);
  });
});

/** What the Plaid Link iframe posts for the sandbox credentials (target/vendors/plaid.ts); Tartan Bank. */
function linkAtPlaid(c: KronaClient, linkToken: string) {
  const { plaidOrigin } = krona.vendors;
  return c.send(`${plaidOrigin}/link/credentials`, {
    json: { link_token: linkToken, institution_id: 'ins_109511', username: 'user_good', password: 'pass_good' },
    headers: { origin: plaidOrigin },
  });
}

/** Fills the stand-in's hosted checkout form (target/vendors/stripe-checkout.ts) the way its page would post it. */
async function payOnHostedCheckout(c: KronaClient, checkoutUrl: string, card: string) {
  const page = await c.send(checkoutUrl);
  assert.equal(page.status, 200);
  const action = /<form method="post" action="([^"]+)"/.exec(page.text)?.[1] ?? new URL(checkoutUrl).pathname;
  return c.send(new URL(action, checkoutUrl).href, {
    form: { email: 'qa@krona.test', cardNumber: card, cardExpiry: '12 / 34', cardCvc: '123', billingName: 'Krona QA' },
  });
}

describe('faults', () => {
  test('every fault is documented with the ids it turns red; the list parser accepts names, =false and vendorSlowMs', () => {
    assert.ok(KRONA_FAULT_NAMES.length >= 12);
    for (const name of KRONA_FAULT_NAMES) assert.ok(KRONA_FAULTS[name].breaks.length > 0, name);
    assert.deepEqual(parseKronaFaultList('no_hsts, health_down=false,vendorSlowMs=250'), {
      no_hsts: true,
      health_down: false,
      vendorSlowMs: 250,
    });
    assert.throws(() => parseKronaFaultList('no_such_fault'), /unknown Krona fault "no_such_fault"/);
    assert.throws(() => krona.setFaults({ nope: true } as never));
  });

  test('faults can be set at start, at run time and over the support API; replace turns the others off', async () => {
    krona.setFaults({ no_hsts: true });
    krona.setFaults({ csp_missing: true }, 'merge');
    assert.equal(krona.faults().no_hsts, true);
    const put = await client().send('/__support/faults', { method: 'PUT', json: { health_down: true }, headers: support });
    assert.equal(put.status, 200);
    assert.deepEqual(
      KRONA_FAULT_NAMES.filter((n) => krona.faults()[n]),
      ['health_down'],
    );
    assert.equal((await client().send('/__support/faults', { method: 'PUT', json: { bogus: true }, headers: support })).status, 400);
    const started = await startKrona({ quiet: true, bcryptCost: 4, faults: { no_hsts: true } });
    try {
      const c = new KronaClient(started.baseUrl, started.caPem);
      assert.equal((await c.send('/')).headers['strict-transport-security'], undefined);
      await c.close();
    } finally {
      await started.close();
    }
  });

  /** One observation per fault: the broken property, checked clean first and then with the fault on. */
  const observations: Record<string, () => Promise<unknown>> = {
    no_hsts: async () => (await client().send('/')).headers['strict-transport-security'] ?? null,
    csp_missing: async () => {
      const h = (await client().send('/')).headers;
      return { csp: h['content-security-policy'] !== undefined, xfo: h['x-frame-options'] };
    },
    x_powered_by: async () => (await client().send('/api/v2')).headers['x-powered-by'] ?? null,
    http_serves_content: async () => (await client().send(`${krona.httpUrl}/`)).status,
    api_cacheable: async () => (await client().send('/api/v2')).headers['cache-control'],
    session_cookie_not_httponly: async () =>
      /HttpOnly/.test((await client().signIn(krona.testUser.email, krona.testUser.password)).setCookies.join()),
    session_long_lived: async () =>
      /Max-Age=(\d+)/.exec((await client().signIn(krona.testUser.email, krona.testUser.password)).setCookies.join())?.[1],
    csrf_not_enforced: async () =>
      (await (await signedIn()).send('/api/v2/transfers', { json: { amount: 1 }, headers: { origin: 'https://attacker.invalid' } })).status,
    cors_reflects_origin: async () => {
      const ask = async (origin: string) =>
        (await client().send('/api/v2', { headers: { origin } })).headers['access-control-allow-origin'] ?? null;
      return { attacker: await ask('https://attacker.invalid'), null: await ask('null') };
    },
    no_login_rate_limit: async () => {
      const statuses = [];
      for (let i = 0; i < 6; i += 1)
        statuses.push((await client().send('/api/v2/sessions', { form: { username: 'burst@invalid.example' } })).status);
      return statuses.at(-1);
    },
    env_file_exposed: async () => (await client().send('/.env')).status,
    secret_in_bundle: async () => /sk_live_/.test(await configScript()),
    test_keys_in_bundle: async () => /pk_test_[\s\S]*"sandbox"/.test(await configScript()),
    source_map_served: async () => {
      const app = /src="(\/static\/app\.[0-9a-f]+\.js)"/.exec((await client().send('/')).text)![1]!;
      return {
        comment: /sourceMappingURL=app\.js\.map/.test((await client().send(app)).text),
        map: (await client().send('/static/app.js.map')).status,
      };
    },
    lookup_leaks_stack_trace: async () => {
      const odd = await client().send(`/api/v2/lookup?term=${encodeURIComponent("'")}`);
      return { status: odd.status, leaks: /SQLITE_ERROR/.test(odd.text) && /\bat .*store\.ts:\d+/.test(odd.text) };
    },
    health_down: async () => {
      const health = await client().send(krona.healthUrl);
      return { status: health.status, body: health.json().status };
    },
    assets_uncompressed: async () => {
      const css = /href="(\/static\/krona\.[0-9a-f]+\.css)"/.exec((await client().send('/')).text)![1]!;
      return (await client().send(css, { headers: { 'accept-encoding': 'br, gzip' } })).headers['content-encoding'] ?? null;
    },
    no_consent_banner: async () => /Cookie preferences/.test((await client().send('/')).text),
    analytics_before_consent: async () =>
      /<script nonce="[^"]+" src="\/static\/analytics\.[0-9a-f]+\.js" defer>/.test((await client().send('/')).text),
    privacy_page_missing: async () => ({
      status: (await client().send('/legal/privacy')).status,
      inSitemap: (await client().send('/sitemap.xml')).text.includes('/legal/privacy'),
    }),
    signup_broken: async () => {
      const c = client();
      const token = await c.csrfFrom('/join');
      return (
        await c.send('/join', {
          form: { _csrf: token, full_name: 'F', email: `f-${Math.random()}@work.example`, passphrase: 'long enough passphrase' },
          headers: { accept: 'text/html' },
        })
      ).status;
    },
    home_empty: async () => {
      const home = (await (await signedIn()).send('/home')).text;
      return { accounts: home.match(/data-testid="account-row"/g)?.length ?? 0, activity: /No activity yet/.test(home) };
    },
    bank_link_exchange_broken: async () => {
      const c = await signedIn();
      const token = await c.csrfFrom('/home');
      return (await c.send('/api/v2/bank-links', { json: { public_token: 'public-sandbox-unknown' }, headers: { 'x-krona-csrf': token } }))
        .status;
    },
    payment_confirmation_broken: async () => {
      const user = await throwawayUser();
      const c = await signedIn(user.login, user.secret);
      const started = await c.send('/payments/checkout', { form: { _csrf: await c.csrfFrom('/payments/new') } });
      const back = await payOnHostedCheckout(c, started.headers.location!, '4242 4242 4242 4242');
      const complete = await c.send(back.headers.location!, { headers: { accept: 'text/html' } });
      return { status: complete.status, received: /Payment received/.test(complete.text) };
    },
    export_not_json: async () => {
      const exported = await (await signedIn()).send('/api/v2/me/export');
      return { type: exported.headers['content-type'], empty: exported.text === '' };
    },
    close_account_keeps_login: async () => {
      const user = await throwawayUser();
      const c = await signedIn(user.login, user.secret);
      await c.send('/api/v2/me/close', { form: { _csrf: await c.csrfFrom('/me'), confirm: user.login } });
      return (await client().signIn(user.login, user.secret)).status;
    },
    sign_out_keeps_session: async () => {
      const c = await signedIn();
      const old = c.cookies.get('krona_sid')!;
      await c.send('/auth/sign-out', { form: { _csrf: await c.csrfFrom('/home') } });
      const replay = client();
      replay.cookies.set('krona_sid', old);
      return (await replay.send('/api/v2/me')).status;
    },
    plaid_unavailable: async () =>
      (await client().send(`${krona.vendors.plaidOrigin}/link?token=link-sandbox-x&origin=${krona.baseUrl}`)).status,
    plaid_credentials_rejected: async () => (await linkAtPlaid(client(), 'link-sandbox-krona-test')).status,
    card_declined: async () => {
      const user = await throwawayUser();
      const c = await signedIn(user.login, user.secret);
      const started = await c.send('/payments/checkout', { form: { _csrf: await c.csrfFrom('/payments/new') } });
      const answer = await payOnHostedCheckout(c, started.headers.location!, '4242 4242 4242 4242');
      return { status: answer.status, declined: /Your card was declined\./.test(answer.text) };
    },
    stripe_unavailable: async () => {
      const user = await throwawayUser();
      const c = await signedIn(user.login, user.secret);
      const started = await c.send('/payments/checkout', { form: { _csrf: await c.csrfFrom('/payments/new') } });
      return (await c.send(started.headers.location!)).status;
    },
  };
  const configScript = async () => {
    const src = /src="(\/static\/config\.[0-9a-f]+\.js)"/.exec((await client().send('/')).text)![1]!;
    return (await client().send(src)).text;
  };

  test('every fault has an observation', () => {
    assert.deepEqual(Object.keys(observations).sort(), [...KRONA_FAULT_NAMES].sort());
  });

  for (const name of KRONA_FAULT_NAMES) {
    test(`${name}: ${KRONA_FAULTS[name].does}`, async () => {
      const observe = observations[name]!;
      const clean = await observe();
      await client().send('/__support/reset-ratelimit', { method: 'POST', headers: support });
      krona.setFaults({ [name]: true });
      const broken = await observe();
      assert.notDeepEqual(broken, clean, `${name} changed nothing: ${JSON.stringify(clean)}`);
      assert.deepEqual(expectedBroken[name], broken);
    });
  }

  const expectedBroken: Record<string, unknown> = {
    no_hsts: null,
    csp_missing: { csp: false, xfo: 'DENY' },
    x_powered_by: 'Express',
    http_serves_content: 200,
    api_cacheable: 'private, max-age=600',
    session_cookie_not_httponly: false,
    session_long_lived: String(30 * 86_400),
    csrf_not_enforced: 201,
    cors_reflects_origin: { attacker: 'https://attacker.invalid', null: null },
    no_login_rate_limit: 403,
    env_file_exposed: 200,
    secret_in_bundle: true,
    test_keys_in_bundle: true,
    source_map_served: { comment: true, map: 200 },
    lookup_leaks_stack_trace: { status: 500, leaks: true },
    health_down: { status: 503, body: 'fail' },
    assets_uncompressed: null,
    no_consent_banner: false,
    analytics_before_consent: true,
    privacy_page_missing: { status: 404, inSitemap: false },
    signup_broken: 500,
    home_empty: { accounts: 2, activity: true },
    bank_link_exchange_broken: 502,
    payment_confirmation_broken: { status: 500, received: false },
    export_not_json: { type: 'text/plain; charset=utf-8', empty: true },
    close_account_keeps_login: 204,
    sign_out_keeps_session: 200,
    plaid_unavailable: 503,
    plaid_credentials_rejected: 400,
    card_declined: { status: 402, declined: true },
    stripe_unavailable: 503,
  };
});
