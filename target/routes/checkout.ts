/**
 * Hosted Checkout: the billing page's "Pay with Checkout" form posts here, the target creates a Stripe
 * Checkout session and sends the browser to Stripe's page; Stripe sends it back to /billing/return,
 * where the target checks the session with Stripe before recording the payment.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authOf } from '../auth.js';
import { finishCheckout, startCheckout } from '../billing.js';
import { checkCsrf } from '../cors-csrf.js';
import { readJson, redirect, stringOr } from '../http.js';
import type { TargetState } from '../state.js';

export const CHECKOUT_PATH = '/billing/checkout';
export const CHECKOUT_RETURN_PATH = '/billing/return';

/** Answers the two Checkout routes; false for any other request. */
export async function handleCheckout(
  state: TargetState,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  cookies: Map<string, string>,
): Promise<boolean> {
  const route = `${req.method} ${url.pathname}`;
  if (route !== `POST ${CHECKOUT_PATH}` && route !== `GET ${CHECKOUT_RETURN_PATH}`) return false;
  const auth = authOf(state, req, cookies);
  if (auth === undefined) {
    redirect(res, `/login?next=${encodeURIComponent('/billing')}`, 303);
    return true;
  }
  if (req.method === 'POST') {
    const form = await readJson(req);
    checkCsrf(state, req, cookies, url.pathname, auth, stringOr(form.csrf));
    redirect(res, await startCheckout(state, auth.user), 303);
    return true;
  }
  const payment = await finishCheckout(state, auth.user, url.searchParams.get('session_id') ?? '');
  redirect(res, `/billing?paid=${encodeURIComponent(payment.id)}`, 303);
  return true;
}
