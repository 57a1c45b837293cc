import { defineProbe, type ProbeContext } from '../../src/core/probe.js';
import type { Finding } from '../../src/core/result.js';
import { httpRequest, type HttpSnapshot } from '../../src/net/http.js';
import { mainDocument } from '../headers/documents.js';
import {
  evaluateCookieHttpOnly,
  evaluateCookieSameSite,
  evaluateCookieSecure,
  evaluateCsrf,
  evaluateTokenLifetime,
  FOREIGN_ORIGIN,
  csrfNeedsControl,
  sessionCookies,
  type CsrfExchange,
  type SeenCookie,
} from './evaluate.js';
import { parseSetCookie } from './parse.js';
import { loginSession, sessionHeaders, type Session } from './session.js';
import { resolveLocation } from '../../src/config/profile.js';
import { metaContent } from '../../src/net/meta-tag.js';
import { csrfPrelude, encodeBody, type CsrfPrelude } from './app-request.js';

function seen(snapshot: HttpSnapshot, source: SeenCookie['source']): SeenCookie[] {
  return snapshot.setCookies.flatMap((line) => {
    const cookie = parseSetCookie(line);
    return cookie === undefined ? [] : [{ ...cookie, source, url: snapshot.finalUrl }];
  });
}

type Write = 'control' | 'attack';

/**
 * The profile's harmless state-changing request (app.api.csrfProbe), with a valid body so that only
 * CSRF defences can refuse it: as the app itself sends it (same origin, session, CSRF token), or as
 * another site can make a browser send it (every cookie, but no token it could read, and no bearer).
 */
function stateChangingWrite(ctx: ProbeContext, session: Session, token: Record<string, string>, as: Write): Promise<HttpSnapshot> {
  const request = ctx.target.app.api.csrfProbe;
  const { contentType, body } = encodeBody(request.encoding, request.body);
  const headers =
    as === 'attack'
      ? { origin: FOREIGN_ORIGIN, ...sessionHeaders(session, { bearer: false }) }
      : { origin: ctx.target.allowedOrigin, ...token, ...sessionHeaders(session) };
  return httpRequest(ctx, ctx.target.csrfProbeUrl, {
    check: 'csrf.protection',
    method: request.method,
    headers: { 'content-type': contentType, accept: 'application/json', ...headers },
    body,
    followRedirects: false,
    maxBodyBytes: 64 * 1024,
    onOversize: 'truncate',
  });
}

/**
 * The token header the app's own front end would send with the session: the session's CSRF cookie
 * (double submit, after any rotation at login), or the <meta> tag of the page as the signed-in user
 * sees it (tokens bound to the session), else the token fetched before logging in.
 */
async function csrfTokenHeader(ctx: ProbeContext, session: Session, prelude: CsrfPrelude): Promise<Record<string, string>> {
  const csrf = ctx.target.app.api.csrf;
  if (csrf.mode === 'cookie') {
    const token = session.cookies.get(csrf.cookie);
    return token === undefined || token === '' ? { ...prelude.headers } : { [csrf.header]: token };
  }
  if (csrf.mode === 'meta') {
    const page = await httpRequest(ctx, resolveLocation(csrf.source, ctx.target), {
      check: 'csrf.protection',
      headers: { accept: 'text/html', ...sessionHeaders(session, { bearer: false }) },
      maxBodyBytes: 512 * 1024,
      onOversize: 'truncate',
    });
    const token = metaContent(page.body, csrf.meta);
    return token === undefined ? { ...prelude.headers } : { [csrf.header]: token };
  }
  return {};
}

/**
 * Accepted controls are real writes (by default a payment intent), so each target gets at most one per
 * process: monitor and gate cycles reuse it. Keyed by the target's origin and the write's URL.
 */
const controls = new Map<string, HttpSnapshot>();

/** For tests that need a fresh process's behaviour. */
export const forgetCsrfControls = (): void => controls.clear();

/** A 429 or a 5xx says nothing lasting about the endpoint: asked again next cycle. */
const lasting = (control: HttpSnapshot): boolean => control.status !== 429 && control.status < 500;

/** The forged write first; the app's own write only when the forged one was refused, so that a refusal can be told from a broken request. */
async function csrfExchange(ctx: ProbeContext, session: Session, cookies: readonly SeenCookie[]): Promise<CsrfExchange> {
  const shape = {
    sessionHasCookie: sessionCookies(cookies, ctx.target.sessionCookie).length > 0,
    expectsJson: ctx.target.app.api.csrfProbe.encoding === 'json',
  };
  const attack = await stateChangingWrite(ctx, session, {}, 'attack');
  if (!csrfNeedsControl(attack)) return { attack, ...shape };
  const key = `${ctx.target.origin} ${ctx.target.app.api.csrfProbe.method} ${ctx.target.csrfProbeUrl}`;
  const reused = controls.get(key);
  if (reused !== undefined) return { attack, control: reused, controlReused: true, ...shape };
  const token = await csrfTokenHeader(ctx, session, await csrfPrelude(ctx));
  const control = await stateChangingWrite(ctx, session, token, 'control');
  if (lasting(control)) controls.set(key, control);
  return { attack, control, controlReused: false, ...shape };
}

export const cookiesProbe = defineProbe({
  name: 'cookies',
  checks: ['cookies.secure', 'cookies.httponly', 'cookies.samesite', 'auth.token_lifetime', 'csrf.protection'],
  async run(ctx): Promise<Finding[]> {
    const [document, session] = await Promise.all([mainDocument(ctx, 'cookies.secure'), loginSession(ctx)]);
    const facts = {
      cookies: [...seen(document, 'document'), ...(session === undefined ? [] : seen(session.login, 'login'))],
      loggedIn: session !== undefined,
      ...(ctx.target.sessionCookie === undefined ? {} : { sessionCookieName: ctx.target.sessionCookie }),
      ...(session?.accessToken === undefined ? {} : { accessToken: session.accessToken }),
      now: new Date(),
    };
    const csrf = session === undefined ? undefined : await csrfExchange(ctx, session, facts.cookies);
    return [
      evaluateCookieSecure(facts),
      evaluateCookieHttpOnly(facts),
      evaluateCookieSameSite(facts),
      evaluateTokenLifetime(facts, ctx.options),
      evaluateCsrf(csrf),
    ];
  },
});
