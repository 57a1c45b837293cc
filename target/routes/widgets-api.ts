/**
 * API routes behind the third-party widgets the app embeds cross-origin: Plaid Link (a link token for
 * the SDK, then the public token it hands back exchanged at Plaid for the linked accounts) and Stripe
 * Elements (a payment intent the browser confirms at Stripe, then recorded here once Stripe says so).
 */
import { PRO_PLAN, recordPayment, startPaymentIntent } from '../billing.js';
import { HttpError, readJson, stringOr } from '../http.js';
import { VendorError } from '../vendor-client.js';
import type { ApiCall, ApiRoute } from './api-route.js';

const OPENING_BALANCE_CENTS = 110_000;

async function exchangePublicToken({ state, req, faults: f, json, user }: ApiCall): Promise<void> {
  const u = user();
  const body = await readJson(req);
  if (f.link_bank_broken) return json(500, { error_code: 'INTERNAL_SERVER_ERROR', error_message: 'an unexpected error occurred' });
  const publicToken = stringOr(body.public_token);
  if (publicToken === '') throw new HttpError(400, 'invalid public_token');
  const item = await state.vendors.exchangePublicToken(publicToken).catch((err: unknown) => {
    if (err instanceof VendorError && err.status === 400) throw new HttpError(400, 'invalid public_token');
    throw err;
  });
  const institution = item.institution.name;
  const today = new Date().toISOString().slice(0, 10);
  const accounts = item.accounts.map((a) => {
    const account = state.store.addAccount(u.id, {
      name: `${institution} ${a.name}`,
      type: /sav/i.test(a.name) ? 'savings' : 'checking',
      mask: a.mask,
      institution,
      balance_cents: OPENING_BALANCE_CENTS,
    });
    state.store.addTransaction(u.id, {
      account_id: account.id,
      date: today,
      description: `Opening balance (${institution})`,
      category: 'Transfer',
      amount_cents: OPENING_BALANCE_CENTS,
    });
    return account;
  });
  return json(200, { account: accounts[0], accounts, item_id: item.item_id });
}

async function createPaymentIntent({ state, req, json, user }: ApiCall): Promise<void> {
  const u = user();
  const body = await readJson(req);
  const amount = typeof body.amount_cents === 'number' && Number.isInteger(body.amount_cents) ? body.amount_cents : PRO_PLAN.amountCents;
  if (amount < 50 || amount > 1_000_000) throw new HttpError(400, 'amount_cents must be between 50 and 1000000');
  return json(200, await startPaymentIntent(state, u, amount, stringOr(body.description) || PRO_PLAN.description));
}

async function recordConfirmedPayment({ state, req, json, user }: ApiCall): Promise<void> {
  const u = user();
  const body = await readJson(req);
  const intentId = stringOr(body.payment_intent);
  if (!/^pi_[A-Za-z0-9]+$/.test(intentId)) throw new HttpError(400, 'payment_intent must be a payment intent id (pi_…)');
  return json(200, await recordPayment(state, u, intentId));
}

export const WIDGET_ROUTES: readonly ApiRoute[] = [
  {
    method: 'POST',
    path: '/api/plaid/link_token',
    handle: async ({ state, json, user }) => {
      const { link_token, expiration } = await state.vendors.createLinkToken(user().id);
      json(200, { link_token, expiration });
    },
  },
  { method: 'POST', path: '/api/plaid/exchange', handle: exchangePublicToken },
  { method: 'POST', path: '/api/billing/payment_intents', handle: createPaymentIntent },
  { method: 'POST', path: '/api/billing/payments', handle: recordConfirmedPayment },
  {
    method: 'GET',
    path: '/api/billing/payments',
    handle: ({ state, json, user }) => json(200, { payments: state.store.payments(user().id) }),
  },
];
