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
  type SeenCookie,
} from './evaluate.js';
import { parseSetCookie } from './parse.js';
import { loginSession, sessionHeaders, type Session } from './session.js';
import { encodeBody } from './app-request.js';

function seen(snapshot: HttpSnapshot, source: SeenCookie['source']): SeenCookie[] {
  return snapshot.setCookies.flatMap((line) => {
    const cookie = parseSetCookie(line);
    return cookie === undefined ? [] : [{ ...cookie, source, url: snapshot.finalUrl }];
  });
}

async function crossSiteWrite(ctx: ProbeContext, session: Session): Promise<HttpSnapshot> {
  // The browser would send every cookie (the CSRF cookie too) but, cross-site, could not read it into a header.
  // The request is the profile's harmless state-changing one (app.api.csrfProbe); its body is valid so only
  // CSRF defences can refuse it.
  const request = ctx.target.app.api.csrfProbe;
  const { contentType, body } = encodeBody(request.encoding, request.body);
  return httpRequest(ctx, ctx.target.csrfProbeUrl, {
    check: 'csrf.protection',
    method: request.method,
    headers: { 'content-type': contentType, origin: FOREIGN_ORIGIN, ...sessionHeaders(session, { bearer: false }) },
    body,
    followRedirects: false,
    maxBodyBytes: 64 * 1024,
    onOversize: 'truncate',
  });
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
    const csrfResponse = session === undefined ? undefined : await crossSiteWrite(ctx, session);
    return [
      evaluateCookieSecure(facts),
      evaluateCookieHttpOnly(facts),
      evaluateCookieSameSite(facts),
      evaluateTokenLifetime(facts, ctx.options),
      evaluateCsrf(csrfResponse),
    ];
  },
});
