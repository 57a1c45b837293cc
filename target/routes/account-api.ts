/** API routes of the signed-in user's own data: profile, accounts, transactions, the public search, export and deletion. */
import { CLEAR_SESSION_COOKIE } from '../auth.js';
import { HttpError, readJson, stringOr } from '../http.js';
import type { ApiCall, ApiRoute } from './api-route.js';

function search({ state, url, faults: f, json }: ApiCall): void {
  const q = url.searchParams.get('q') ?? '';
  if (/^[\p{L}\p{N}][\p{L}\p{N} .-]{0,63}$/u.test(q)) return json(200, { query: q, results: state.store.search(q) });
  if (f.sql_error_leak) {
    let stack: string;
    try {
      state.store.unsafeSearch(q);
      stack = new Error('query failed').stack ?? '';
    } catch (err) {
      stack = (err as Error).stack ?? String(err);
    }
    return json(500, {
      error: `SQLITE_ERROR: near "'": syntax error`,
      query: `SELECT name, kind FROM catalog WHERE name LIKE '%${q}%'`,
      stack,
    });
  }
  if (f.search_500) return json(500, { error: 'Internal server error' });
  return json(400, { error: 'invalid_query', message: 'q must be 1-64 letters, digits, spaces, dots or hyphens' });
}

function exportData({ state, res, faults: f, json, user }: ApiCall): void {
  const u = user();
  if (f.export_broken) {
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="vor-export.json"');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Length', 0);
    res.end();
    return;
  }
  const store = state.store;
  json(
    200,
    {
      exportedAt: new Date().toISOString(),
      profile: { id: u.id, email: u.email, name: u.name, createdAt: u.created_at },
      accounts: store.accounts(u.id),
      transactions: store.transactions(u.id, 100_000),
      payments: store.payments(u.id),
    },
    { 'Content-Disposition': 'attachment; filename="vor-export.json"' },
  );
}

async function deleteAccount({ state, req, res, faults: f, json, user }: ApiCall): Promise<void> {
  const u = user();
  const body = await readJson(req);
  if (body.confirm !== undefined && stringOr(body.confirm) !== 'DELETE') throw new HttpError(400, 'Type DELETE to confirm');
  state.store.deleteUser(u.id, f.deletion_keeps_login);
  if (!f.deletion_keeps_login) res.setHeader('Set-Cookie', CLEAR_SESSION_COOKIE);
  json(200, { deleted: true });
}

export const PROFILE_ROUTES: readonly ApiRoute[] = [
  {
    method: 'GET',
    path: '/api/me',
    handle: ({ json, user }) => {
      const u = user();
      json(200, { id: u.id, email: u.email, name: u.name, createdAt: u.created_at });
    },
  },
  {
    method: 'GET',
    path: '/api/accounts',
    handle: ({ state, faults: f, json, user }) => json(200, { accounts: f.dashboard_empty ? [] : state.store.accounts(user().id) }),
  },
  {
    method: 'GET',
    path: '/api/transactions',
    handle: ({ state, faults: f, json, user }) =>
      json(200, { transactions: f.dashboard_empty ? [] : state.store.transactions(user().id, 500) }),
  },
  { method: 'GET', path: '/api/search', listed: 'GET /api/search?q=', handle: search },
];

export const DATA_RIGHTS_ROUTES: readonly ApiRoute[] = [
  { method: 'GET', path: '/api/export', handle: exportData },
  { method: 'DELETE', path: '/api/account', handle: deleteAccount },
  { method: 'POST', path: '/api/account/delete', listed: false, handle: deleteAccount },
];
