/** Stripe stand-in API: payment intents (created by the app backend, confirmed from the browser) and Checkout sessions. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { charge, checkCard, digitsOf, type CardError } from './cards.js';
import type { VendorFaults } from './faults.js';
import { HttpError, readFields, sendJson } from './http.js';
import type { CheckoutSession, PaymentIntent, StripeState } from './state.js';

export const stripeError = (status: number, message: string, code?: string, param?: string) => ({
  error: {
    type: status === 402 ? 'card_error' : status >= 500 ? 'api_error' : 'invalid_request_error',
    message,
    ...(code === undefined ? {} : { code }),
    ...(param === undefined ? {} : { param }),
  },
});

/** The browser calls confirm from any shop's origin; no cookies are involved, so `*` without credentials. */
export const OPEN_CORS: Record<string, string> = { 'Access-Control-Allow-Origin': '*' };

export function paymentIntentJson(intent: PaymentIntent) {
  return {
    id: intent.id,
    object: 'payment_intent',
    client_secret: intent.clientSecret,
    status: intent.status,
    amount: intent.amount,
    currency: intent.currency,
    description: intent.description,
    last4: intent.last4,
    last_payment_error: intent.lastPaymentError,
  };
}

export function checkoutSessionJson(session: CheckoutSession, origin: string) {
  return {
    id: session.id,
    object: 'checkout.session',
    url: session.status === 'open' ? `${origin}/c/pay/${session.id}` : null,
    status: session.status,
    payment_status: session.paymentStatus,
    amount_total: session.amountTotal,
    currency: session.currency,
    payment_intent: session.paymentIntentId,
    customer_email: session.customerEmail,
    success_url: session.successUrl,
    cancel_url: session.cancelUrl,
  };
}

function amountOf(fields: Record<string, string>): { amount: number; currency: string; description: string | null } {
  const amount = Number(fields.amount);
  if (fields.amount === undefined || !Number.isInteger(amount) || amount < 1 || amount > 99_999_999)
    throw new HttpError(400, 'amount must be a positive integer in the smallest currency unit');
  const currency = (fields.currency ?? 'usd').toLowerCase();
  if (!/^[a-z]{3}$/.test(currency)) throw new HttpError(400, 'currency must be a three-letter ISO code');
  const description = fields.description === undefined || fields.description === '' ? null : fields.description.slice(0, 500);
  return { amount, currency, description };
}

function webUrl(value: string | undefined, name: string, required: boolean): string | null {
  if (value === undefined || value === '') {
    if (required) throw new HttpError(400, `${name} is required`);
    return null;
  }
  try {
    const url = new URL(value);
    if (url.protocol === 'https:' || url.protocol === 'http:') return url.href;
  } catch {
    /* reported below */
  }
  throw new HttpError(400, `${name} must be an absolute http(s) URL`);
}

/**
 * Attempts a payment on `intent` with what the customer typed: validation problem, decline, or
 * undefined when the intent has succeeded.
 */
export function attemptPayment(
  intent: PaymentIntent,
  card: { number: string; expMonth: number | undefined; expYear: number | undefined; cvc: string },
  faults: VendorFaults,
): CardError | undefined {
  const problem = checkCard(card) ?? charge(card.number, faults.stripeDeclineAll);
  if (problem !== undefined) {
    intent.lastPaymentError = {
      code: problem.code,
      ...(problem.decline_code === undefined ? {} : { decline_code: problem.decline_code }),
      message: problem.message,
    };
    return problem;
  }
  intent.status = 'succeeded';
  intent.last4 = digitsOf(card.number).slice(-4);
  intent.lastPaymentError = null;
  return undefined;
}

const numberOrUndefined = (value: string | undefined): number | undefined =>
  value === undefined || value.trim() === '' || !/^\d+$/.test(value.trim()) ? undefined : Number(value);

export function stripeApi(origin: string, state: StripeState, faults: () => VendorFaults) {
  const intentOr404 = (id: string): PaymentIntent => {
    const intent = state.paymentIntent(id);
    if (intent === undefined) throw new HttpError(404, `No such payment_intent: '${id}'`);
    return intent;
  };

  return {
    async createPaymentIntent(req: IncomingMessage, res: ServerResponse): Promise<void> {
      const intent = state.createPaymentIntent(amountOf(await readFields(req)));
      sendJson(res, 200, paymentIntentJson(intent));
    },

    getPaymentIntent(res: ServerResponse, id: string): void {
      sendJson(res, 200, paymentIntentJson(intentOr404(id)));
    },

    async confirmPaymentIntent(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
      const fields = await readFields(req);
      const intent = state.paymentIntent(id);
      if (intent === undefined || fields.client_secret !== intent.clientSecret) {
        sendJson(res, 404, stripeError(404, `No such payment_intent: '${id}'`, 'resource_missing', 'intent'), OPEN_CORS);
        return;
      }
      if (intent.status === 'succeeded') {
        const message = 'You cannot confirm this PaymentIntent because it has already succeeded after being previously confirmed.';
        sendJson(res, 400, stripeError(400, message, 'payment_intent_unexpected_state'), OPEN_CORS);
        return;
      }
      const card = {
        number: fields['payment_method_data[card][number]'] ?? '',
        expMonth: numberOrUndefined(fields['payment_method_data[card][exp_month]']),
        expYear: numberOrUndefined(fields['payment_method_data[card][exp_year]']),
        cvc: fields['payment_method_data[card][cvc]'] ?? '',
      };
      const problem = attemptPayment(intent, card, faults());
      if (problem !== undefined) {
        sendJson(res, 402, { error: { ...problem, payment_intent: paymentIntentJson(intent) } }, OPEN_CORS);
        return;
      }
      sendJson(res, 200, paymentIntentJson(intent), OPEN_CORS);
    },

    preflight(res: ServerResponse): void {
      res.writeHead(204, {
        ...OPEN_CORS,
        'Access-Control-Allow-Methods': 'POST, OPTIONS',
        'Access-Control-Allow-Headers': 'Content-Type, Authorization',
        'Access-Control-Max-Age': '600',
        'Cache-Control': 'no-store',
      });
      res.end();
    },

    async createCheckoutSession(req: IncomingMessage, res: ServerResponse): Promise<void> {
      const fields = await readFields(req);
      const session = state.createCheckoutSession({
        ...amountOf(fields),
        successUrl: webUrl(fields.success_url, 'success_url', true) ?? '',
        cancelUrl: webUrl(fields.cancel_url, 'cancel_url', false),
      });
      sendJson(res, 200, checkoutSessionJson(session, origin));
    },

    getCheckoutSession(res: ServerResponse, id: string): void {
      const session = state.checkoutSession(id);
      if (session === undefined) throw new HttpError(404, `No such checkout.session: '${id}'`);
      sendJson(res, 200, checkoutSessionJson(session, origin));
    },
  };
}
