import type { ProbeContext } from '../../src/core/probe.js';
import { resolveLocation } from '../../src/config/profile.js';
import { httpRequest } from '../../src/net/http.js';
import { parseSetCookie } from './parse.js';
import { metaContent } from '../../src/net/meta-tag.js';

/** A request body in the encoding the app profile names. */
export function encodeBody(encoding: 'json' | 'form', fields: Readonly<Record<string, unknown>>): { contentType: string; body: string } {
  if (encoding === 'json') return { contentType: 'application/json', body: JSON.stringify(fields) };
  const form = new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)]));
  return { contentType: 'application/x-www-form-urlencoded', body: form.toString() };
}

/** The login body the app expects, with the field names of the profile. */
export function loginBody(ctx: ProbeContext, email: string, password: string): { contentType: string; body: string } {
  const login = ctx.target.app.api.login;
  return encodeBody(login.encoding, { [login.emailField]: email, [login.passwordField]: password });
}

/** What a browser would hold before a state-changing request: the pre-session cookies and the CSRF header. */
export interface CsrfPrelude {
  readonly cookies: ReadonlyMap<string, string>;
  readonly headers: Readonly<Record<string, string>>;
}

/** Fetches the app's CSRF token the way its own front end does (cookie or <meta> tag), once per run. */
export function csrfPrelude(
  ctx: ProbeContext,
  check: 'auth.token_lifetime' | 'ratelimit.enforced' = 'auth.token_lifetime',
): Promise<CsrfPrelude> {
  return ctx.observe('csrf-prelude', async () => {
    const csrf = ctx.target.app.api.csrf;
    if (csrf.mode === 'none') return { cookies: new Map(), headers: {} };
    const source = resolveLocation(csrf.source, ctx.target);
    const response = await httpRequest(ctx, source, {
      check,
      headers: { accept: csrf.mode === 'meta' ? 'text/html' : 'application/json' },
      maxBodyBytes: 512 * 1024,
      onOversize: 'truncate',
    });
    const cookies = new Map<string, string>();
    for (const line of response.setCookies) {
      const cookie = parseSetCookie(line);
      if (cookie !== undefined) cookies.set(cookie.name, cookie.value);
    }
    const token = csrf.mode === 'cookie' ? cookies.get(csrf.cookie) : metaContent(response.body, csrf.meta);
    return { cookies, headers: token === undefined ? {} : { [csrf.header]: token } };
  });
}

export const cookieHeader = (cookies: ReadonlyMap<string, string>): Record<string, string> => {
  const value = [...cookies].map(([name, v]) => `${name}=${v}`).join('; ');
  return value === '' ? {} : { cookie: value };
};
