import type { ProbeContext } from '../../src/core/probe.js';
import { ProbeFailure } from '../../src/net/failure.js';
import { httpRequest, type HttpSnapshot } from '../../src/net/http.js';
import { looksLikeHtml } from '../answer-shape.js';
import { mainDocument } from '../headers/documents.js';
import { parseSetCookie } from './parse.js';
import { cookieHeader, csrfPrelude, loginBody } from './app-request.js';

/** A logged-in test user, as a browser would hold it. */
export interface Session {
  readonly login: HttpSnapshot;
  /** Cookie name → value, from the main document and the login response. */
  readonly cookies: ReadonlyMap<string, string>;
  readonly accessToken?: string;
}

export const NO_CREDENTIALS_HINT = 'set VOR_TEST_USER_EMAIL and VOR_TEST_USER_PASSWORD to enable it';

function accessTokenOf(body: string): string | undefined {
  try {
    const json = JSON.parse(body) as Record<string, unknown>;
    const token = json.accessToken ?? json.access_token ?? json.token;
    return typeof token === 'string' ? token : undefined;
  } catch {
    return undefined;
  }
}

/** Logs the test user in once per run; undefined without credentials; throws if the login is refused. */
export function loginSession(ctx: ProbeContext): Promise<Session | undefined> {
  return ctx.observe('login-session', async () => {
    const credentials = ctx.target.credentials;
    if (credentials === undefined) return undefined;
    const prelude = await csrfPrelude(ctx);
    const { contentType, body } = loginBody(ctx, credentials.email, credentials.password);
    const [document, login] = await Promise.all([
      mainDocument(ctx, 'cookies.secure'),
      httpRequest(ctx, ctx.target.loginUrl, {
        check: 'auth.token_lifetime',
        method: ctx.target.app.api.login.method,
        headers: {
          'content-type': contentType,
          accept: 'application/json',
          origin: ctx.target.allowedOrigin,
          ...prelude.headers,
          ...cookieHeader(prelude.cookies),
        },
        body,
        maxBodyBytes: 256 * 1024,
        followRedirects: false,
      }),
    ]);
    // A form login typically answers with a redirect (303) to the signed-in page.
    if (login.status < 200 || login.status >= 400) {
      throw new ProbeFailure('login_failed', `the test user's login at ${ctx.target.loginUrl} answered ${login.status}`);
    }
    if (ctx.target.app.api.login.encoding === 'json' && login.status < 300 && looksLikeHtml(login)) {
      throw new ProbeFailure(
        'login_failed',
        `the test user's JSON login at ${ctx.target.loginUrl} answered an HTML page (${login.status}): not the login API; set --login-url or the profile's app.api.login`,
      );
    }
    const cookies = new Map<string, string>(prelude.cookies);
    for (const line of [...document.setCookies, ...login.setCookies]) {
      const cookie = parseSetCookie(line);
      if (cookie !== undefined) cookies.set(cookie.name, cookie.value);
    }
    const accessToken = accessTokenOf(login.body);
    return { login, cookies, ...(accessToken === undefined ? {} : { accessToken }) };
  });
}

/** Headers that present the session: its cookies and, when the login returned one, the bearer token. */
export function sessionHeaders(session: Session, { bearer = true } = {}): Record<string, string> {
  const cookie = [...session.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  return {
    ...(cookie === '' ? {} : { cookie }),
    ...(bearer && session.accessToken !== undefined ? { authorization: `Bearer ${session.accessToken}` } : {}),
  };
}
