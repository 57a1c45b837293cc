/** The API's cross-origin rules: CORS grants (exact allowlist unless a fault loosens it) and the CSRF checks. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CSRF_COOKIE, SESSION_COOKIE, type Auth } from './auth.js';
import { HttpError, safeEqual } from './http.js';
import type { TargetState } from './state.js';

/** Sets the CORS headers of an /api response (none when the origin is not granted). */
export function applyCors(state: TargetState, req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin;
  res.setHeader('Vary', 'Origin');
  if (origin === undefined) return;
  const f = state.faults;
  const allowed = state.allowedOrigins();
  let grant: string | undefined;
  let credentials = true;
  if (f.cors_wildcard_credentials) grant = '*';
  else if (f.cors_wildcard) {
    grant = '*';
    credentials = false;
  } else if (f.cors_reflect_origin) grant = origin;
  else if (f.cors_null_origin && origin === 'null') grant = 'null';
  else if (allowed.includes(origin)) grant = f.cors_block_allowed ? undefined : origin;
  else if (f.cors_lookalike && allowed.some((a) => origin.startsWith(a) || origin.endsWith(new URL(a).host))) grant = origin;
  if (grant === undefined) return;
  res.setHeader('Access-Control-Allow-Origin', grant);
  if (credentials) res.setHeader('Access-Control-Allow-Credentials', 'true');
  res.setHeader('Access-Control-Expose-Headers', 'RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Retry-After');
  if (req.method === 'OPTIONS') {
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE, OPTIONS');
    res.setHeader(
      'Access-Control-Allow-Headers',
      req.headers['access-control-request-headers'] ?? 'Content-Type, X-CSRF-Token, Authorization',
    );
    res.setHeader('Access-Control-Max-Age', '600');
  }
}

/**
 * Throws 403 when a state-changing request fails the Origin check or (unless exempt) the double-submit
 * token: `submitted` (default: the X-CSRF-Token header; an HTML form sends it in a hidden field).
 */
export function checkCsrf(
  state: TargetState,
  req: IncomingMessage,
  cookies: Map<string, string>,
  path: string,
  auth: Auth | undefined,
  submitted: string | string[] | undefined = req.headers['x-csrf-token'],
): void {
  if (state.faults.csrf_off) return;
  const origin = req.headers.origin;
  if (origin !== undefined && !state.trustedOrigins().includes(origin)) throw new HttpError(403, 'cross-origin request refused');
  if (origin === undefined) {
    const referer = req.headers.referer;
    if (referer !== undefined) {
      let refOrigin: string;
      try {
        refOrigin = new URL(referer).origin;
      } catch {
        refOrigin = 'invalid';
      }
      if (!state.trustedOrigins().includes(refOrigin)) throw new HttpError(403, 'cross-origin request refused');
    }
  }
  if (path === '/api/auth/login' || path === '/api/auth/signup') return;
  if (auth?.via === 'bearer' && !cookies.has(SESSION_COOKIE)) return; // bearer tokens are not sent ambiently
  const cookie = cookies.get(CSRF_COOKIE);
  if (cookie === undefined || cookie === '' || typeof submitted !== 'string' || !safeEqual(cookie, submitted)) {
    throw new HttpError(403, 'missing or invalid CSRF token (send the vor_csrf cookie value in X-CSRF-Token)');
  }
}
