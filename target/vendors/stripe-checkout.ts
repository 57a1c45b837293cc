/** Stripe stand-in: the hosted Checkout page (its own origin, plain form, no iframes) and its redirect back. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseExpiry } from './cards.js';
import type { VendorFaults } from './faults.js';
import { documentCsp, esc, htmlDocument, readFields, redirect, sendHtml } from './http.js';
import type { CheckoutSession, StripeState } from './state.js';
import { attemptPayment } from './stripe-api.js';

const CHECKOUT_HEADERS = { 'X-Frame-Options': 'DENY', 'Cross-Origin-Opener-Policy': 'same-origin' };
const STYLESHEET = '/elements/stripe.css';

function money(amount: number, currency: string): string {
  try {
    return (amount / 100).toLocaleString('en-US', { style: 'currency', currency: currency.toUpperCase() });
  } catch {
    return `${(amount / 100).toFixed(2)} ${currency.toUpperCase()}`;
  }
}

/** Where the customer goes after paying, with the session id and `redirect_status=succeeded`. */
export function successLocation(session: CheckoutSession): string {
  const url = new URL(
    session.successUrl.replaceAll('%7BCHECKOUT_SESSION_ID%7D', session.id).replaceAll('{CHECKOUT_SESSION_ID}', session.id),
  );
  if (!url.searchParams.has('session_id')) url.searchParams.set('session_id', session.id);
  url.searchParams.set('redirect_status', 'succeeded');
  return url.href;
}

/** The page may only submit to itself and be redirected to the shop's own URLs (Chrome checks form-action on redirects). */
function checkoutCsp(session: CheckoutSession): string {
  const origins = new Set(["'self'", new URL(session.successUrl).origin]);
  if (session.cancelUrl !== null) origins.add(new URL(session.cancelUrl).origin);
  return documentCsp("'none'", [...origins].join(' '));
}

interface Entered {
  email: string;
  name: string;
}

function checkoutPage(session: CheckoutSession, entered: Entered, alert?: string): string {
  const title = session.description ?? 'Checkout';
  const back = session.cancelUrl === null ? '' : `<p><a href="${esc(session.cancelUrl)}">Back</a></p>`;
  return htmlDocument(
    `${title} · Checkout`,
    `<main class="checkout">
${back}
<h1>${esc(title)}</h1>
<p class="amount">${esc(money(session.amountTotal, session.currency))}</p>
<form method="post" action="/c/pay/${esc(session.id)}" novalidate>
  ${alert === undefined ? '' : `<p role="alert">${esc(alert)}</p>`}
  <label for="email">Email</label>
  <input id="email" name="email" type="email" autocomplete="email" value="${esc(entered.email)}">
  <label for="cardNumber">Card number</label>
  <input id="cardNumber" name="cardNumber" inputmode="numeric" autocomplete="cc-number" placeholder="1234 1234 1234 1234">
  <div class="row">
    <div><label for="cardExpiry">Expiration (MM / YY)</label>
    <input id="cardExpiry" name="cardExpiry" inputmode="numeric" autocomplete="cc-exp" placeholder="MM / YY"></div>
    <div><label for="cardCvc">CVC</label>
    <input id="cardCvc" name="cardCvc" inputmode="numeric" autocomplete="cc-csc" placeholder="CVC"></div>
  </div>
  <label for="billingName">Cardholder name</label>
  <input id="billingName" name="billingName" autocomplete="cc-name" value="${esc(entered.name)}">
  <button type="submit">Pay</button>
</form>
</main>`,
    STYLESHEET,
  );
}

const unavailablePage = (): string =>
  htmlDocument(
    'Checkout unavailable',
    '<main class="checkout"><h1>Checkout is unavailable</h1><p>Stripe could not load this page. Try again later.</p></main>',
    STYLESHEET,
  );

const notFoundPage = (): string =>
  htmlDocument(
    'Checkout not found',
    '<main class="checkout"><h1>Something went wrong</h1><p>This checkout session does not exist or has expired.</p></main>',
    STYLESHEET,
  );

const completePage = (session: CheckoutSession): string =>
  htmlDocument(
    'Payment complete',
    `<main class="checkout"><h1>Payment complete</h1><p>This checkout session has already been paid.</p><p><a href="${esc(successLocation(session))}">Return to the merchant</a></p></main>`,
    STYLESHEET,
  );

export function stripeCheckout(state: StripeState, faults: () => VendorFaults) {
  /** Common start of GET and POST: the session, or an answered request. */
  const open = (res: ServerResponse, id: string): CheckoutSession | undefined => {
    if (faults().stripeUnavailable) {
      sendHtml(res, 503, unavailablePage(), { csp: documentCsp("'none'"), 'Retry-After': '30', ...CHECKOUT_HEADERS });
      return undefined;
    }
    const session = state.checkoutSession(id);
    if (session === undefined) {
      sendHtml(res, 404, notFoundPage(), { csp: documentCsp("'none'"), ...CHECKOUT_HEADERS });
      return undefined;
    }
    return session;
  };

  return {
    show(res: ServerResponse, id: string): void {
      const session = open(res, id);
      if (session === undefined) return;
      const page = session.status === 'complete' ? completePage(session) : checkoutPage(session, { email: '', name: '' });
      sendHtml(res, 200, page, { csp: checkoutCsp(session), ...CHECKOUT_HEADERS });
    },

    async pay(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
      const session = open(res, id);
      if (session === undefined) return;
      if (session.status === 'complete') {
        redirect(res, successLocation(session));
        return;
      }
      const fields = await readFields(req);
      const entered: Entered = { email: (fields.email ?? '').slice(0, 200), name: (fields.billingName ?? '').slice(0, 200) };
      const rerender = (status: number, alert: string): void =>
        sendHtml(res, status, checkoutPage(session, entered, alert), { csp: checkoutCsp(session), ...CHECKOUT_HEADERS });
      if (!/^[^\s@]+@[^\s@]+$/.test(entered.email)) return rerender(400, 'Your email address is incomplete.');
      if (entered.name.trim() === '') return rerender(400, 'Your name is incomplete.');
      const intent = state.paymentIntent(session.paymentIntentId);
      if (intent === undefined) return rerender(410, 'This checkout session has expired.');
      const expiry = parseExpiry(fields.cardExpiry ?? '');
      const problem = attemptPayment(
        intent,
        { number: fields.cardNumber ?? '', expMonth: expiry?.month, expYear: expiry?.year, cvc: fields.cardCvc ?? '' },
        faults(),
      );
      if (problem !== undefined) return rerender(402, problem.message);
      session.status = 'complete';
      session.paymentStatus = 'paid';
      session.customerEmail = entered.email;
      redirect(res, successLocation(session));
    },
  };
}
