/** Who is calling: session cookies, HS256 access tokens, the CSRF double-submit cookie. */
import { createHmac, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { User } from './db.js';
import type { Faults } from './faults.js';
import { safeEqual } from './http.js';
import type { TargetState } from './state.js';

export const SESSION_COOKIE = 'vor_session';
export const CSRF_COOKIE = 'vor_csrf';
/** What logout and account deletion send to end the browser's session. */
export const CLEAR_SESSION_COOKIE = `${SESSION_COOKIE}=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Lax`;
const SESSION_TTL_MS = 8 * 3600_000;
const LONG_TTL_MS = 30 * 86_400_000;
const JWT_TTL_S = 15 * 60;

export interface Auth {
  user: User;
  via: 'cookie' | 'bearer';
  sessionId?: string;
}

function cookieAttributes(f: Faults, maxAgeS: number, httpOnly: boolean): string {
  const parts = [`Path=/`, `Max-Age=${maxAgeS}`];
  if (!f.cookie_no_secure) parts.push('Secure');
  if (httpOnly && !f.cookie_no_httponly) parts.push('HttpOnly');
  if (f.cookie_samesite_none) parts.push('SameSite=None');
  else if (!f.cookie_no_samesite) parts.push('SameSite=Lax');
  return parts.join('; ');
}

function signJwt(state: TargetState, user: User): { token: string; expiresIn: number | null } {
  const f = state.faults;
  const now = Math.floor(Date.now() / 1000);
  const ttl = f.long_token_lifetime ? LONG_TTL_MS / 1000 : JWT_TTL_S;
  const payload: Record<string, unknown> = { sub: user.id, email: user.email, iss: state.baseUrl, iat: now };
  if (!f.jwt_no_exp) payload.exp = now + ttl;
  const head = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  const sig = createHmac('sha256', state.jwtSecret).update(`${head}.${body}`).digest('base64url');
  return { token: `${head}.${body}.${sig}`, expiresIn: f.jwt_no_exp ? null : ttl };
}

function verifyJwt(state: TargetState, token: string): User | undefined {
  const [head, body, sig] = token.split('.');
  if (head === undefined || body === undefined || sig === undefined) return undefined;
  const expected = createHmac('sha256', state.jwtSecret).update(`${head}.${body}`).digest('base64url');
  if (!safeEqual(sig, expected)) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { sub?: string; exp?: number };
    if (typeof payload.exp === 'number' && payload.exp * 1000 < Date.now()) return undefined;
    return typeof payload.sub === 'string' ? state.store.userById(payload.sub) : undefined;
  } catch {
    return undefined;
  }
}

/** The session cookie first, then `Authorization: Bearer <jwt>`. */
export function authOf(state: TargetState, req: IncomingMessage, cookies: Map<string, string>): Auth | undefined {
  const sid = cookies.get(SESSION_COOKIE);
  if (sid !== undefined && sid !== '') {
    const user = state.store.sessionUser(sid);
    if (user !== undefined) return { user, via: 'cookie', sessionId: sid };
  }
  const authz = req.headers.authorization;
  if (authz !== undefined && authz.startsWith('Bearer ')) {
    const user = verifyJwt(state, authz.slice(7).trim());
    if (user !== undefined) return { user, via: 'bearer' };
  }
  return undefined;
}

/** Sets the session cookie; returns the login response body (user + access token). */
export function startSession(state: TargetState, res: ServerResponse, user: User): Record<string, unknown> {
  const ttl = state.faults.long_token_lifetime ? LONG_TTL_MS : SESSION_TTL_MS;
  const sid = state.store.createSession(user.id, ttl);
  res.setHeader('Set-Cookie', `${SESSION_COOKIE}=${sid}; ${cookieAttributes(state.faults, ttl / 1000, true)}`);
  const jwt = signJwt(state, user);
  return {
    user: { id: user.id, email: user.email, name: user.name },
    accessToken: jwt.token,
    tokenType: 'Bearer',
    expiresIn: jwt.expiresIn,
  };
}

/** The CSRF token the browser holds, setting a fresh cookie when it has none (or a malformed one). */
export function ensureCsrfCookie(res: ServerResponse, cookies: Map<string, string>): string {
  const existing = cookies.get(CSRF_COOKIE);
  if (existing !== undefined && /^[A-Za-z0-9_-]{20,}$/.test(existing)) return existing;
  const token = randomBytes(24).toString('base64url');
  res.appendHeader('Set-Cookie', `${CSRF_COOKIE}=${token}; Path=/; Max-Age=${SESSION_TTL_MS / 1000}; Secure; SameSite=Strict`);
  return token;
}
