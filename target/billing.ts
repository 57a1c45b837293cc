/**
 * Payments through the Stripe stand-in, as a real app's backend does them: it creates the payment
 * intent or Checkout session at Stripe, the customer pays there (card fields in Stripe's iframes, or
 * Stripe's hosted page), and the app records a payment only after asking Stripe that it succeeded.
 */
import type { Payment, User } from './db.js';
import { HttpError } from './http.js';
import type { TargetState } from './state.js';

export const PRO_PLAN = { amountCents: 1200, currency: 'usd', description: 'VÖR Pro (monthly)' } as const;

/** A payment intent for the Elements form: what the browser needs to confirm it at Stripe. */
export async function startPaymentIntent(
  state: TargetState,
  user: User,
  amountCents: number,
  description: string,
): Promise<{ id: string; client_secret: string; status: string; livemode: false }> {
  const intent = await state.vendors.createPaymentIntent({ amountCents, currency: PRO_PLAN.currency, description });
  state.rememberStartedPayment(intent.id, { userId: user.id, description });
  return { id: intent.id, client_secret: intent.client_secret, status: intent.status, livemode: false };
}

/** A hosted Checkout session; returns the Stripe page to send the customer to. */
export async function startCheckout(state: TargetState, user: User): Promise<string> {
  const session = await state.vendors.createCheckoutSession(PRO_PLAN, {
    successUrl: `${state.baseUrl}/billing/return?session_id={CHECKOUT_SESSION_ID}`,
    cancelUrl: `${state.baseUrl}/billing`,
  });
  state.rememberStartedPayment(session.id, { userId: user.id, description: PRO_PLAN.description });
  if (session.url === null) throw new HttpError(502, 'Stripe returned no Checkout URL');
  return session.url;
}

/**
 * Records the payment intent `intentId` once Stripe says it succeeded (again: the same payment).
 * `startedAs`: the vendor id the user started (the intent itself, or its Checkout session).
 */
export async function recordPayment(state: TargetState, user: User, intentId: string, startedAs = intentId): Promise<Payment> {
  const started = state.startedPayment(startedAs, user.id);
  if (started === undefined) throw new HttpError(404, 'no such payment_intent');
  if (state.faults.payment_broken) throw new HttpError(500, 'An error occurred while processing your payment.');
  const known = state.store.payment(user.id, intentId);
  if (known !== undefined) return known;
  const intent = await state.vendors.paymentIntent(intentId);
  if (intent.status !== 'succeeded') throw new HttpError(402, `The payment has not succeeded (status ${intent.status}).`);
  return state.store.addPayment(
    user.id,
    {
      amount_cents: intent.amount,
      currency: intent.currency,
      status: 'succeeded',
      description: started.description,
      card_last4: intent.last4 ?? '',
    },
    intent.id,
  );
}

/** The end of hosted Checkout: the session must be complete and paid; returns the recorded payment. */
export async function finishCheckout(state: TargetState, user: User, sessionId: string): Promise<Payment> {
  if (state.startedPayment(sessionId, user.id) === undefined) throw new HttpError(404, 'no such checkout session');
  const session = await state.vendors.checkoutSession(sessionId);
  if (session.status !== 'complete' || session.payment_status !== 'paid') throw new HttpError(402, 'The payment was not completed.');
  return recordPayment(state, user, session.payment_intent, sessionId);
}
