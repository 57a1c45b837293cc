/**
 * API routes behind the third-party widgets the app embeds: the same-origin Plaid Link sandbox dialog
 * (link token → public token → exchange into a linked account) and the test-mode payment form
 * (payment intent → confirm with a test card).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { INSTITUTIONS } from '../db.js';
import { HttpError, readJson, stringOr } from '../http.js';
import type { ApiCall, ApiRoute } from './api-route.js';

const randomHex = (bytes: number): string => randomBytes(bytes).toString('hex');

async function createPublicToken({ state, req, json, user }: ApiCall): Promise<void> {
  const u = user();
  const body = await readJson(req);
  const institution = stringOr(body.institution);
  if (!(INSTITUTIONS as readonly string[]).includes(institution)) throw new HttpError(400, 'unknown institution');
  if (stringOr(body.username) !== 'user_good' || stringOr(body.password) !== 'pass_good') {
    return json(400, { error_code: 'INVALID_CREDENTIALS', error_message: 'The provided credentials were not correct.' });
  }
  const token = `public-sandbox-${randomUUID()}`;
  state.publicTokens.set(token, { userId: u.id, institution });
  return json(200, { public_token: token });
}

async function exchangePublicToken({ state, req, faults: f, json, user }: ApiCall): Promise<void> {
  const u = user();
  const body = await readJson(req);
  if (f.link_bank_broken) return json(500, { error_code: 'INTERNAL_SERVER_ERROR', error_message: 'an unexpected error occurred' });
  const entry = state.publicTokens.get(stringOr(body.public_token));
  if (entry === undefined || entry.userId !== u.id) throw new HttpError(400, 'invalid public_token');
  state.publicTokens.delete(stringOr(body.public_token));
  const account = state.store.addAccount(u.id, {
    name: `${entry.institution} Plaid Checking`,
    type: 'checking',
    mask: String(1000 + Math.floor(Math.random() * 9000)),
    institution: entry.institution,
    balance_cents: 110_000,
  });
  state.store.addTransaction(u.id, {
    account_id: account.id,
    date: new Date().toISOString().slice(0, 10),
    description: `Opening balance (${entry.institution})`,
    category: 'Transfer',
    amount_cents: 110_000,
  });
  return json(200, { account, item_id: `item-${randomUUID()}` });
}

async function createPaymentIntent({ state, req, json, user }: ApiCall): Promise<void> {
  const u = user();
  const body = await readJson(req);
  const amount = typeof body.amount_cents === 'number' && Number.isInteger(body.amount_cents) ? body.amount_cents : 1200;
  if (amount < 50 || amount > 1_000_000) throw new HttpError(400, 'amount_cents must be between 50 and 1000000');
  const id = `pi_${randomHex(12)}`;
  state.paymentIntents.set(id, {
    userId: u.id,
    amount,
    currency: 'usd',
    description: stringOr(body.description) || 'VÖR Pro (monthly)',
    status: 'requires_confirmation',
  });
  return json(200, { id, client_secret: `${id}_secret_${randomHex(8)}`, status: 'requires_confirmation', livemode: false });
}

async function confirmPaymentIntent({ state, req, params, faults: f, json, user }: ApiCall): Promise<void> {
  const u = user();
  const body = await readJson(req);
  const id = params.id ?? '';
  const intent = state.paymentIntents.get(id);
  if (intent === undefined || intent.userId !== u.id) throw new HttpError(404, 'no such payment_intent');
  if (f.payment_broken) return json(500, { error: 'api_error', message: 'An error occurred while processing your payment.' });
  const card = stringOr(body.card_number).replace(/\D/g, '');
  if (card === '4000000000000002') return json(402, { error: 'card_declined', message: 'Your card was declined.' });
  if (card !== '4242424242424242') return json(402, { error: 'invalid_number', message: 'Use the test card 4242 4242 4242 4242.' });
  state.paymentIntents.delete(id);
  const payment = state.store.addPayment(u.id, {
    amount_cents: intent.amount,
    currency: intent.currency,
    status: 'succeeded',
    description: intent.description,
    card_last4: card.slice(-4),
  });
  return json(200, { ...payment, id, status: 'succeeded' });
}

export const WIDGET_ROUTES: readonly ApiRoute[] = [
  {
    method: 'POST',
    path: '/api/plaid/link_token',
    handle: ({ faults: f, json, user }) => {
      user();
      json(200, {
        link_token: `link-${f.test_keys_in_bundle ? 'sandbox' : 'production'}-${randomUUID()}`,
        expiration: new Date(Date.now() + 4 * 3600_000).toISOString(),
      });
    },
  },
  { method: 'POST', path: '/api/plaid/public_token', handle: createPublicToken },
  { method: 'POST', path: '/api/plaid/exchange', handle: exchangePublicToken },
  { method: 'POST', path: '/api/billing/payment_intents', handle: createPaymentIntent },
  {
    method: 'POST',
    path: '/api/billing/payment_intents/{id}/confirm',
    params: { id: /pi_[a-f0-9]+/ },
    handle: confirmPaymentIntent,
  },
  {
    method: 'GET',
    path: '/api/billing/payments',
    handle: ({ state, json, user }) => json(200, { payments: state.store.payments(user().id) }),
  },
];
