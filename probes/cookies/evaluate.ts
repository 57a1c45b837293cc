import type { ProbeOptions } from '../../src/config/schema.js';
import { errored, fail, pass, skip, warn, type Finding } from '../../src/core/result.js';
import type { HttpSnapshot } from '../../src/net/http.js';
import { cookieLifetimeSeconds, type SetCookie } from './parse.js';
import { isRateLimited, looksLikeHtml } from '../answer-shape.js';
import { NO_CREDENTIALS_HINT } from './session.js';

export interface SeenCookie extends SetCookie {
  readonly source: 'document' | 'login';
  readonly url: string;
}

export interface CookieFacts {
  readonly cookies: readonly SeenCookie[];
  /** Whether the login response is among the sources (test credentials were set). */
  readonly loggedIn: boolean;
  readonly sessionCookieName?: string;
  readonly accessToken?: string;
  readonly now: Date;
}

const SESSION_NAME = /sess|sid|token|auth|jwt/i;
/** A double-submit CSRF cookie must be readable by the page's JS, so it is never the session cookie. */
const CSRF_NAME = /csrf|xsrf/i;

/** checks.md "Session cookie": the configured name, else what the login set, else a session-like name. */
export function sessionCookies(cookies: readonly SeenCookie[], configuredName?: string): SeenCookie[] {
  if (configuredName !== undefined) return cookies.filter((c) => c.name === configuredName);
  const fromLogin = cookies.filter((c) => c.source === 'login' && !CSRF_NAME.test(c.name));
  if (fromLogin.length > 0) return fromLogin;
  return cookies.filter((c) => SESSION_NAME.test(c.name) && !CSRF_NAME.test(c.name));
}

const describe = (c: SeenCookie) => ({
  name: c.name,
  source: c.source,
  secure: c.secure,
  httpOnly: c.httpOnly,
  sameSite: c.sameSite ?? null,
});
const names = (list: readonly SeenCookie[]): string => list.map((c) => c.name).join(', ');
const noCredentials = (id: Finding['id'], what: string): Finding => skip(id, 'no_credentials', `${what}; ${NO_CREDENTIALS_HINT}`);

export function evaluateCookieSecure(facts: CookieFacts): Finding {
  const overHttps = facts.cookies.filter((c) => c.url.startsWith('https:'));
  if (overHttps.length === 0 && !facts.loggedIn)
    return noCredentials('cookies.secure', 'the main document sets no cookies and the login was not checked');
  const insecure = overHttps.filter((c) => !c.secure);
  const evidence = { cookies: overHttps.map(describe) };
  if (insecure.length > 0) {
    return fail(
      'cookies.secure',
      'missing_secure',
      `cookie(s) ${names(insecure)} set over HTTPS without Secure (${insecure[0]?.url})`,
      evidence,
    );
  }
  return pass('cookies.secure', overHttps.length === 0 ? 'no cookies are set' : `all ${overHttps.length} cookie(s) are Secure`, evidence);
}

export function evaluateCookieHttpOnly(facts: CookieFacts): Finding {
  const sessions = sessionCookies(facts.cookies, facts.sessionCookieName);
  if (sessions.length === 0 && !facts.loggedIn) return noCredentials('cookies.httponly', 'no session cookie seen without logging in');
  const readable = sessions.filter((c) => !c.httpOnly);
  const evidence = { sessionCookies: sessions.map(describe) };
  if (readable.length > 0)
    return fail('cookies.httponly', 'missing_httponly', `session cookie ${names(readable)} lacks HttpOnly`, evidence);
  return pass(
    'cookies.httponly',
    sessions.length === 0 ? 'no session cookie is set' : `session cookie ${names(sessions)} is HttpOnly`,
    evidence,
  );
}

export function evaluateCookieSameSite(facts: CookieFacts): Finding {
  const sessions = sessionCookies(facts.cookies, facts.sessionCookieName);
  if (sessions.length === 0 && !facts.loggedIn) return noCredentials('cookies.samesite', 'no session cookie seen without logging in');
  const evidence = { sessionCookies: sessions.map(describe) };
  const none = sessions.filter((c) => c.sameSite === 'none');
  if (none.length > 0) return fail('cookies.samesite', 'samesite_none', `session cookie ${names(none)} has SameSite=None`, evidence);
  const missing = sessions.filter((c) => c.sameSite === undefined);
  if (missing.length > 0)
    return warn('cookies.samesite', 'missing', `session cookie ${names(missing)} has no SameSite attribute`, evidence);
  return pass(
    'cookies.samesite',
    sessions.length === 0 ? 'no session cookie is set' : `session cookie ${names(sessions)} is SameSite=${sessions[0]?.sameSite}`,
    evidence,
  );
}

/** The JWT payload's claims, or undefined when the value is not a JWT. */
export function jwtClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[1] === undefined) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as unknown;
    return typeof claims === 'object' && claims !== null && !Array.isArray(claims) ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function evaluateTokenLifetime(facts: CookieFacts, options: Pick<ProbeOptions, 'tokenMaxLifetimeHours'>): Finding {
  const maxSeconds = options.tokenMaxLifetimeHours * 3600;
  const sessions = sessionCookies(facts.cookies, facts.sessionCookieName);
  const lifetimes = sessions.map((c) => ({ name: c.name, lifetimeSeconds: cookieLifetimeSeconds(c, facts.now) ?? null }));
  const tokens = [
    ...(facts.accessToken === undefined ? [] : [{ source: 'accessToken', token: facts.accessToken }]),
    ...sessions.map((c) => ({ source: `cookie ${c.name}`, token: c.value })),
  ].flatMap(({ source, token }) => {
    const claims = jwtClaims(token);
    if (claims === undefined) return [];
    const exp = typeof claims.exp === 'number' ? claims.exp : undefined;
    const issuedAt = typeof claims.iat === 'number' ? claims.iat : facts.now.getTime() / 1000;
    return [{ source, hasExp: exp !== undefined, lifetimeSeconds: exp === undefined ? null : Math.round(exp - issuedAt) }];
  });
  const evidence = { maxLifetimeSeconds: maxSeconds, sessionCookies: lifetimes, jwts: tokens };
  const noExp = tokens.find((t) => !t.hasExp);
  if (noExp !== undefined)
    return fail('auth.token_lifetime', 'no_exp', `the ${noExp.source} JWT has no exp claim (never expires)`, evidence);
  const tooLong = [
    ...lifetimes.map((l) => ({ what: `session cookie ${l.name}`, seconds: l.lifetimeSeconds })),
    ...tokens.map((t) => ({ what: `${t.source} JWT`, seconds: t.lifetimeSeconds })),
  ].find((l) => l.seconds !== null && l.seconds > maxSeconds);
  if (tooLong !== undefined) {
    const hours = ((tooLong.seconds ?? 0) / 3600).toFixed(1);
    return fail('auth.token_lifetime', 'too_long', `the ${tooLong.what} lives ${hours} h (> ${options.tokenMaxLifetimeHours} h)`, evidence);
  }
  // A session cookie the main document sets is judged without a login (above); a pass needs the login's cookies and token.
  if (!facts.loggedIn) return noCredentials('auth.token_lifetime', 'the session lifetime is only fully known after logging in');
  return pass('auth.token_lifetime', `session cookie(s) and tokens live at most ${options.tokenMaxLifetimeHours} h`, evidence);
}

export const FOREIGN_ORIGIN = 'https://attacker.invalid';

/** Where the state-changing request is configured, for messages. */
export const CSRF_PROBE_SETTING = "the profile's app.api.csrfProbe";

/** The two writes csrf.protection compares: the forged one and, when that was refused, the app's own (same origin, valid token). */
export interface CsrfExchange {
  /** Same origin, the session and a valid CSRF token: what the app itself sends. Only sent when the attack was refused. */
  readonly control?: HttpSnapshot;
  /** The control's answer is the one an earlier cycle of this process got (an accepted control is a real write). */
  readonly controlReused?: boolean;
  /** Foreign Origin, the session's cookies, no token: what another site can make a browser send. */
  readonly attack: HttpSnapshot;
  /** The session holds a cookie: without one a cross-site request carries no credentials at all. */
  readonly sessionHasCookie: boolean;
  /** The request is JSON, so an HTML page in answer is not the API endpoint. */
  readonly expectsJson: boolean;
}

const ok = (r: HttpSnapshot): boolean => r.status >= 200 && r.status < 300;
const missing = (r: HttpSnapshot): boolean => [404, 405, 410, 501].includes(r.status);

/** Only a refused forged write needs the control to tell a CSRF defence from a broken request. */
export const csrfNeedsControl = (attack: HttpSnapshot): boolean => !ok(attack) && !isRateLimited(attack) && !missing(attack);

/**
 * An accepted forged write is a fail whatever its body. "Refused" only when the control to the same
 * endpoint is accepted: otherwise the refusal may be a missing session, a wrong body or a wrong URL,
 * not a CSRF defence (checks.md, csrf.protection).
 */
export function evaluateCsrf(exchange: CsrfExchange | undefined): Finding {
  if (exchange === undefined) return skip('csrf.protection', 'no_credentials', `needs a logged-in session; ${NO_CREDENTIALS_HINT}`);
  const { control, attack } = exchange;
  const where = `${attack.method} ${attack.url}`;
  const evidence = {
    url: attack.url,
    method: attack.method,
    origin: FOREIGN_ORIGIN,
    status: attack.status,
    controlStatus: control?.status ?? null,
    ...(control === undefined ? {} : { controlReused: exchange.controlReused === true }),
  };
  const reusedNote =
    exchange.controlReused === true ? ' (the control answer is reused from an earlier cycle: it is sent once per process)' : '';
  if (!exchange.sessionHasCookie) {
    return skip(
      'csrf.protection',
      'no_session_cookie',
      `the login set no cookie, so a cross-site request would carry no credentials; nothing to forge at ${where}`,
      evidence,
    );
  }
  if (ok(attack)) {
    return fail(
      'csrf.protection',
      'accepted',
      `${where} from Origin ${FOREIGN_ORIGIN} without a CSRF token was accepted (${attack.status})`,
      evidence,
    );
  }
  if (isRateLimited(attack) || (control !== undefined && isRateLimited(control))) {
    return errored('csrf.protection', 'rate_limited', `${where} answered 429; the cross-site write was not judged`, evidence);
  }
  if (missing(attack) || (control !== undefined && missing(control))) {
    return skip(
      'csrf.protection',
      'no_endpoint',
      `${where} answered ${missing(attack) ? attack.status : (control?.status ?? attack.status)}; no state-changing endpoint to test; set ${CSRF_PROBE_SETTING}`,
      evidence,
    );
  }
  if (control === undefined) {
    return errored('csrf.protection', 'not_evaluated', `the control request to ${where} was not made`, evidence);
  }
  if (exchange.expectsJson && ok(control) && looksLikeHtml(control)) {
    return skip(
      'csrf.protection',
      'not_an_api_response',
      `${where} answers an HTML page to a JSON request: not the API's state-changing endpoint; set ${CSRF_PROBE_SETTING}${reusedNote}`,
      evidence,
    );
  }
  if (!ok(control)) {
    return errored(
      'csrf.protection',
      'control_refused',
      `the app's own request (same origin, valid CSRF token) to ${where} was refused too (${control.status}), so the cross-site refusal (${attack.status}) proves nothing; check ${CSRF_PROBE_SETTING}${reusedNote}`,
      evidence,
    );
  }
  return pass(
    'csrf.protection',
    `a cross-site ${attack.method} without a CSRF token was refused (${attack.status}) where the same-origin one was accepted (${control.status})${reusedNote}`,
    evidence,
  );
}
