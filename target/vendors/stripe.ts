/** Stripe stand-in: Stripe.js, the Elements card-field iframes, the hosted Checkout page and the API. */
import type { ServerResponse } from 'node:http';
import { sdkFile } from './assets.js';
import type { VendorFaults } from './faults.js';
import { documentCsp, embedderOrigin, esc, htmlDocument, sendAsset, sendHtml, sendJson, type Route } from './http.js';
import type { StripeState } from './state.js';
import { stripeApi, stripeError } from './stripe-api.js';
import { stripeCheckout } from './stripe-checkout.js';

export { stripeError };

/** The three split card fields: frame title and the input inside, as Stripe.js renders them. */
const FIELDS = {
  cardNumber: {
    title: 'Secure card number input frame',
    input: 'name="cardnumber" autocomplete="cc-number" placeholder="1234 1234 1234 1234" aria-label="Credit or debit card number"',
  },
  cardExpiry: {
    title: 'Secure expiration date input frame',
    input: 'name="exp-date" autocomplete="cc-exp" placeholder="MM / YY" aria-label="Credit or debit card expiration date"',
  },
  cardCvc: {
    title: 'Secure CVC input frame',
    input: 'name="cvc" autocomplete="cc-csc" placeholder="CVC" aria-label="Credit or debit card CVC"',
  },
} as const;

type FieldType = keyof typeof FIELDS;
const isFieldType = (value: string | null): value is FieldType => value !== null && Object.hasOwn(FIELDS, value);

function fieldDocument(type: FieldType, frame: string, parentOrigin: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${esc(FIELDS[type].title)}</title>
<link rel="stylesheet" href="/elements/stripe.css">
<script src="/elements/frame.js" defer></script>
</head>
<body class="field" data-frame="${esc(frame)}" data-parent-origin="${esc(parentOrigin)}">
<input ${FIELDS[type].input} type="text" inputmode="numeric" autocorrect="off" spellcheck="false" aria-invalid="false" data-elements-stable-field-name="${type}">
</body>
</html>
`;
}

const fieldErrorPage = (heading: string): string => htmlDocument('Stripe Elements', `<h1>${esc(heading)}</h1>`, '/elements/stripe.css');

export function stripeRoutes(origin: string, state: StripeState, faults: () => VendorFaults): Route {
  const api = stripeApi(origin, state, faults);
  const checkout = stripeCheckout(state, faults);

  const elementFrame = (res: ServerResponse, url: URL): void => {
    if (faults().stripeUnavailable) {
      sendHtml(res, 503, fieldErrorPage('Stripe is unavailable'), { csp: documentCsp('*'), 'Retry-After': '30' });
      return;
    }
    const type = url.searchParams.get('type');
    const parentOrigin = embedderOrigin(url);
    const frame = url.searchParams.get('frame') ?? '';
    const key = url.searchParams.get('key') ?? '';
    if (
      !isFieldType(type) ||
      parentOrigin === undefined ||
      !/^__privateStripeFrame\d{1,9}$/.test(frame) ||
      !/^pk_(test|live)_[A-Za-z0-9]+$/.test(key)
    ) {
      sendHtml(res, 400, fieldErrorPage('Invalid Elements frame parameters'), { csp: documentCsp('*') });
      return;
    }
    sendHtml(res, 200, fieldDocument(type, frame, parentOrigin), { csp: documentCsp(parentOrigin) });
  };

  return async (req, res, url) => {
    const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
    const path = url.pathname;
    const notAllowed = (allow: string): void =>
      sendJson(res, 405, stripeError(405, `${req.method} not allowed on ${path}`), { Allow: allow });
    let match: RegExpExecArray | null;

    if (path === '/v3/' || path === '/v3') return method === 'GET' ? sendAsset(res, 'js', sdkFile('stripeSdk', origin)) : notAllowed('GET');
    if (path === '/elements/frame.js') return method === 'GET' ? sendAsset(res, 'js', sdkFile('stripeFrameJs')) : notAllowed('GET');
    if (path === '/elements/stripe.css') return method === 'GET' ? sendAsset(res, 'css', sdkFile('stripeCss')) : notAllowed('GET');
    if (path === '/elements-inner-card') return method === 'GET' ? elementFrame(res, url) : notAllowed('GET');

    if (path === '/v1/payment_intents') return method === 'POST' ? api.createPaymentIntent(req, res) : notAllowed('POST');
    if ((match = /^\/v1\/payment_intents\/(pi_[A-Za-z0-9]+)\/confirm$/.exec(path)) !== null) {
      const id = match[1] ?? '';
      if (method === 'OPTIONS') return api.preflight(res);
      return method === 'POST' ? api.confirmPaymentIntent(req, res, id) : notAllowed('POST, OPTIONS');
    }
    if ((match = /^\/v1\/payment_intents\/(pi_[A-Za-z0-9]+)$/.exec(path)) !== null)
      return method === 'GET' ? api.getPaymentIntent(res, match[1] ?? '') : notAllowed('GET');

    if (path === '/v1/checkout/sessions') return method === 'POST' ? api.createCheckoutSession(req, res) : notAllowed('POST');
    if ((match = /^\/v1\/checkout\/sessions\/(cs_test_[A-Za-z0-9]+)$/.exec(path)) !== null)
      return method === 'GET' ? api.getCheckoutSession(res, match[1] ?? '') : notAllowed('GET');

    if ((match = /^\/c\/pay\/(cs_test_[A-Za-z0-9]+)$/.exec(path)) !== null) {
      const id = match[1] ?? '';
      if (method === 'GET') return checkout.show(res, id);
      return method === 'POST' ? checkout.pay(req, res, id) : notAllowed('GET, POST');
    }

    sendJson(res, 404, stripeError(404, `Unrecognized request URL (${req.method}: ${path}).`));
  };
}
