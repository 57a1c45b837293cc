/** API routes of signing up, in and out, and the CSRF token. Login is rate limited per (IP, email) and per IP. */
import { CLEAR_SESSION_COOKIE, ensureCsrfCookie, startSession } from '../auth.js';
import type { Faults } from '../faults.js';
import { HttpError, readJson, stringOr } from '../http.js';
import type { RateWindow } from '../rate-limit.js';
import type { ApiCall, ApiRoute } from './api-route.js';

function rateLimitHeaders(f: Faults, window: RateWindow, now: number): Record<string, string> {
  if (f.ratelimit_off || f.ratelimit_no_headers) return {};
  return {
    'RateLimit-Limit': String(window.limit),
    'RateLimit-Remaining': String(Math.max(0, window.limit - window.count)),
    'RateLimit-Reset': String(Math.max(1, Math.ceil((window.resetAt - now) / 1000))),
  };
}

async function login({ state, req, res, faults: f, json }: ApiCall): Promise<void> {
  const body = await readJson(req);
  const email = stringOr(body.email).trim().toLowerCase();
  const password = stringOr(body.password);
  const now = Date.now();
  const counters = state.loginLimiter.countersFor(req.socket.remoteAddress ?? 'unknown', email, now);
  if (!f.ratelimit_off && counters.exceeded) {
    const tightest = counters.tightest();
    const retry = Math.max(1, Math.ceil((tightest.resetAt - now) / 1000));
    const headers = f.ratelimit_no_headers ? {} : { 'Retry-After': String(retry), ...rateLimitHeaders(f, tightest, now) };
    return json(429, { error: 'Too many login attempts. Try again later.' }, headers);
  }
  const user = email === '' || password === '' ? undefined : state.store.verifyLogin(email, password, f.login_accepts_wrong_password);
  if (user === undefined) {
    counters.recordFailure();
    return json(401, { error: 'Incorrect email or password' }, rateLimitHeaders(f, counters.tightest(), now));
  }
  const headers = rateLimitHeaders(f, counters.tightest(), now);
  return json(200, startSession(state, res, user), headers);
}

async function signup({ state, req, res, faults: f, json }: ApiCall): Promise<void> {
  const body = await readJson(req);
  if (f.signup_broken) throw new HttpError(500, 'Sign-up is temporarily unavailable');
  const email = stringOr(body.email).trim().toLowerCase();
  const password = stringOr(body.password);
  const name = stringOr(body.name).trim() || email.split('@')[0] || 'VÖR user';
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 200) throw new HttpError(400, 'Please enter a valid email address');
  if (password.length < 8 || password.length > 200) throw new HttpError(400, 'Password must be at least 8 characters');
  const user = state.store.createUser(email, password, name.slice(0, 100));
  if (user === undefined) throw new HttpError(409, 'An account with this email already exists');
  return json(201, startSession(state, res, user));
}

export const AUTH_ROUTES: readonly ApiRoute[] = [
  { method: 'POST', path: '/api/auth/signup', handle: signup },
  { method: 'POST', path: '/api/auth/login', handle: login },
  {
    method: 'POST',
    path: '/api/auth/logout',
    handle: ({ state, res, auth, faults: f, json }) => {
      if (auth?.sessionId !== undefined && !f.logout_keeps_session) state.store.deleteSession(auth.sessionId);
      res.setHeader('Set-Cookie', CLEAR_SESSION_COOKIE);
      json(200, { ok: true });
    },
  },
  {
    method: 'GET',
    path: '/api/auth/csrf',
    handle: ({ res, cookies, json }) => json(200, { csrfToken: ensureCsrfCookie(res, cookies) }),
  },
];
