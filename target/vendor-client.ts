/**
 * The target's backend calls to the third-party vendors (target/vendors/): Plaid's link-token and
 * token-exchange API, Stripe's payment-intent and Checkout-session API. What a real app's server does
 * with its secret keys; the browser never sees these answers whole.
 */
import { Agent, request } from 'undici';

/** A vendor answered with an error status, or could not be reached. */
export class VendorError extends Error {
  constructor(
    readonly vendor: 'plaid' | 'stripe',
    /** The vendor's HTTP status; 0 when it could not be reached. */
    readonly status: number,
    readonly body: Record<string, unknown>,
    message: string,
  ) {
    super(message);
  }
}

export interface PlaidItem {
  item_id: string;
  institution: { name: string };
  accounts: { account_id: string; name: string; mask: string }[];
}

export interface StripePaymentIntent {
  id: string;
  client_secret: string;
  status: string;
  amount: number;
  currency: string;
  last4: string | null;
}

export interface StripeCheckoutSession {
  id: string;
  url: string | null;
  status: string;
  payment_status: string;
  amount_total: number;
  payment_intent: string;
}

export interface Payment {
  amountCents: number;
  currency: string;
  description: string;
}

/** Longer than the slowest widget fault (120 s), so a slow vendor is slow, not an error. */
const VENDOR_TIMEOUT_MS = 130_000;

export class VendorClient {
  private readonly agent: Agent;

  constructor(
    readonly plaidOrigin: string,
    readonly stripeOrigin: string,
    caPem: string,
  ) {
    this.agent = new Agent({ connect: { ca: caPem } });
  }

  async createLinkToken(userId: string): Promise<{ link_token: string; expiration: string }> {
    return this.call('plaid', 'POST', `${this.plaidOrigin}/link/token/create`, { json: { client_user_id: userId } });
  }

  async exchangePublicToken(publicToken: string): Promise<PlaidItem> {
    return this.call('plaid', 'POST', `${this.plaidOrigin}/item/public_token/exchange`, { json: { public_token: publicToken } });
  }

  async createPaymentIntent(payment: Payment): Promise<StripePaymentIntent> {
    return this.call('stripe', 'POST', `${this.stripeOrigin}/v1/payment_intents`, { form: stripeAmount(payment) });
  }

  async paymentIntent(id: string): Promise<StripePaymentIntent> {
    return this.call('stripe', 'GET', `${this.stripeOrigin}/v1/payment_intents/${encodeURIComponent(id)}`);
  }

  async createCheckoutSession(payment: Payment, urls: { successUrl: string; cancelUrl: string }): Promise<StripeCheckoutSession> {
    return this.call('stripe', 'POST', `${this.stripeOrigin}/v1/checkout/sessions`, {
      form: { ...stripeAmount(payment), success_url: urls.successUrl, cancel_url: urls.cancelUrl },
    });
  }

  async checkoutSession(id: string): Promise<StripeCheckoutSession> {
    return this.call('stripe', 'GET', `${this.stripeOrigin}/v1/checkout/sessions/${encodeURIComponent(id)}`);
  }

  close(): Promise<void> {
    return this.agent.close();
  }

  private async call<T>(
    vendor: 'plaid' | 'stripe',
    method: 'GET' | 'POST',
    url: string,
    body: { json?: Record<string, string>; form?: Record<string, string> } = {},
  ): Promise<T> {
    let status: number;
    let answer: unknown;
    try {
      const response = await request(url, {
        method,
        dispatcher: this.agent,
        headersTimeout: VENDOR_TIMEOUT_MS,
        bodyTimeout: VENDOR_TIMEOUT_MS,
        ...(body.json !== undefined
          ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body.json) }
          : body.form !== undefined
            ? { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body.form).toString() }
            : {}),
      });
      status = response.statusCode;
      answer = await response.body.json().catch(() => ({}));
    } catch (err) {
      throw new VendorError(vendor, 0, {}, `${vendor} unreachable: ${(err as Error).message}`);
    }
    const json = (typeof answer === 'object' && answer !== null ? answer : {}) as Record<string, unknown>;
    if (status < 200 || status > 299)
      throw new VendorError(vendor, status, json, `${vendor} answered ${status} to ${method} ${new URL(url).pathname}`);
    return json as T;
  }
}

function stripeAmount(payment: Payment): Record<string, string> {
  return { amount: String(payment.amountCents), currency: payment.currency, description: payment.description };
}
