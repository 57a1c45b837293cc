/**
 * Test-only: a signed-up user talking to the reference target's API with a cookie jar, and the steps a
 * browser takes on the vendors' own origins (Plaid Link's credential screen, Stripe's card fields and
 * hosted Checkout), driven over HTTP so API-level tests can walk the widget flows.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach } from 'node:test';
import { cookieHeader, request, type RawResponse } from '../test/helpers/target.js';
import { startTarget, type RunningTarget, type TargetOptions } from './server.js';

export type JsonResponse = RawResponse & { json: Record<string, unknown> };

/** One target for the whole test file, every fault off before each test, closed at the end. */
export function useTarget(started: (t: RunningTarget) => void, options: TargetOptions = { quiet: true, bcryptCost: 4 }): void {
  let running: RunningTarget | undefined;
  before(async () => {
    running = await startTarget(options);
    started(running);
  });
  beforeEach(() => running?.setFaults({}));
  after(() => running?.close());
}

let signups = 0;

export class ApiSession {
  private constructor(
    private readonly t: RunningTarget,
    public cookie: string,
    readonly email: string,
    readonly password: string,
  ) {}

  /** A fresh user, signed in, holding a CSRF cookie. */
  static async signup(t: RunningTarget): Promise<ApiSession> {
    const email = `flow${++signups}-${Date.now()}@vor.test`;
    const session = new ApiSession(t, '', email, 'flow-password-1');
    const r = await session.api('POST', '/auth/signup', { email, password: session.password, name: 'Flow' });
    assert.equal(r.status, 201, r.body);
    await session.api('GET', '/auth/csrf');
    return session;
  }

  static anonymous(t: RunningTarget, cookie = ''): ApiSession {
    return new ApiSession(t, cookie, '', '');
  }

  get csrfToken(): string | undefined {
    return /vor_csrf=([^;]+)/.exec(this.cookie)?.[1];
  }

  /** `path` under /api; same-origin, with the CSRF header when the jar holds the cookie. */
  async api(method: string, path: string, body?: object): Promise<JsonResponse> {
    const csrf = this.csrfToken;
    const r = await request(`${this.t.apiUrl}${path}`, {
      ca: this.t.caPem,
      method,
      headers: { Origin: this.t.baseUrl, Cookie: this.cookie, ...(csrf === undefined ? {} : { 'X-CSRF-Token': csrf }) },
      ...(body === undefined ? {} : { body }),
    });
    this.remember(r);
    return withJson(r);
  }

  /** A page of the site (GET), or an HTML form post (POST, form-encoded, same origin). */
  async page(path: string, form?: Record<string, string>): Promise<RawResponse> {
    const r = await request(`${this.t.baseUrl}${path}`, {
      ca: this.t.caPem,
      method: form === undefined ? 'GET' : 'POST',
      headers: {
        Cookie: this.cookie,
        ...(form === undefined ? {} : { Origin: this.t.baseUrl, 'Content-Type': 'application/x-www-form-urlencoded' }),
      },
      ...(form === undefined ? {} : { body: new URLSearchParams(form).toString() }),
    });
    this.remember(r);
    return r;
  }

  private remember(r: RawResponse): void {
    if (r.setCookies.length === 0) return;
    const jar = new Map(
      this.cookie
        .split('; ')
        .filter(Boolean)
        .map((c) => [c.split('=')[0], c] as const),
    );
    for (const c of cookieHeader(r.setCookies).split('; ')) jar.set(c.split('=')[0], c);
    this.cookie = [...jar.values()].join('; ');
  }
}

function withJson(r: RawResponse): JsonResponse {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(r.body) as Record<string, unknown>;
  } catch {
    json = {};
  }
  return { ...r, json };
}

export const TARTAN_BANK = 'ins_109511';
export const GOOD_CARD = '4242 4242 4242 4242';
export const DECLINED_CARD = '4000 0000 0000 0002';

/** What Plaid Link's credential screen sends from its iframe (on the Plaid origin). */
export async function logInAtPlaid(
  t: RunningTarget,
  linkToken: string,
  credentials = { username: 'user_good', password: 'pass_good' },
): Promise<JsonResponse> {
  const plaid = t.vendors.plaidOrigin;
  return withJson(
    await request(`${plaid}/link/credentials`, {
      ca: t.caPem,
      method: 'POST',
      headers: { Origin: plaid },
      body: { link_token: linkToken, institution_id: TARTAN_BANK, ...credentials },
    }),
  );
}

/** What Stripe.js sends when the customer pays with the card typed into Stripe's fields. */
export async function confirmAtStripe(
  t: RunningTarget,
  intent: { id: string; client_secret: string },
  card = GOOD_CARD,
): Promise<JsonResponse> {
  const body = new URLSearchParams({
    client_secret: intent.client_secret,
    'payment_method_data[card][number]': card,
    'payment_method_data[card][exp_month]': '12',
    'payment_method_data[card][exp_year]': '2034',
    'payment_method_data[card][cvc]': '123',
  });
  return withJson(
    await request(`${t.vendors.stripeOrigin}/v1/payment_intents/${intent.id}/confirm`, {
      ca: t.caPem,
      method: 'POST',
      headers: { Origin: t.baseUrl, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    }),
  );
}

/** The hosted Checkout page's form, submitted on Stripe's origin; its answer redirects to the success URL. */
export async function payAtCheckout(t: RunningTarget, checkoutUrl: string, card = GOOD_CARD): Promise<RawResponse> {
  const fields = { email: 'flow@vor.test', cardNumber: card, cardExpiry: '12 / 34', cardCvc: '123', billingName: 'Flow' };
  return request(checkoutUrl, {
    ca: t.caPem,
    method: 'POST',
    headers: { Origin: new URL(checkoutUrl).origin, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}
