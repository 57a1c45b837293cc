import type { ProbeOptions } from '../../src/config/schema.js';
import { defineProbe, type ProbeContext } from '../../src/core/probe.js';
import { ProbeFailure } from '../../src/net/failure.js';
import { httpRequest, type HttpSnapshot } from '../../src/net/http.js';
import { loginSession } from '../cookies/session.js';
import { cookieHeader, csrfPrelude, loginBody } from '../cookies/app-request.js';
import { isRedirect, looksLikeHtml } from '../answer-shape.js';
import { resolveLocation } from '../../src/config/profile.js';
import { evaluateRateLimit, LOGIN_URL_SETTING, RATELIMIT_URL_SETTING, type BurstOutcome } from './evaluate.js';

/** The schema caps burstRequests at 500 too; this holds even if options come from elsewhere. */
export const HARD_MAX_BURST = 500;

/** An invalid login (in the app's own request shape, with its CSRF token): refused by any sane target, so the burst changes nothing. */
async function invalidLogin(ctx: ProbeContext): Promise<{ headers: Record<string, string>; body: string; expectsJson: boolean }> {
  const prelude = await csrfPrelude(ctx, 'ratelimit.enforced');
  const { contentType, body } = loginBody(ctx, 'vor-watch-ratelimit@invalid.example', 'not-a-password');
  return {
    headers: { 'content-type': contentType, accept: 'application/json', ...prelude.headers, ...cookieHeader(prelude.cookies) },
    body,
    // A JSON login API answers JSON (or nothing); a form login may well answer its page again.
    expectsJson: ctx.target.app.api.login.encoding === 'json',
  };
}

/**
 * The pages a form login sends a refused password back to (`302 → /login?error`): the login URL
 * itself and the profile's sign-in page, same origin, by path.
 */
function loginPageTest(ctx: ProbeContext): (response: HttpSnapshot) => boolean {
  const pages = [ctx.target.loginUrl, resolveLocation(ctx.target.app.pages.signIn, ctx.target)].map((u) => new URL(u));
  return (response) => {
    const location = response.headers.location;
    if (!isRedirect(response) || location === undefined) return false;
    const to = new URL(location, response.url);
    return pages.some((page) => page.origin === to.origin && page.pathname.replace(/\/+$/, '') === to.pathname.replace(/\/+$/, ''));
  };
}

export async function burst(ctx: ProbeContext): Promise<BurstOutcome> {
  const limit = Math.min(ctx.options.burstRequests, HARD_MAX_BURST);
  const isLogin = ctx.target.rateLimitUrl === ctx.target.loginUrl;
  const method = isLogin ? ctx.target.app.api.login.method : 'GET';
  const login = isLogin ? await invalidLogin(ctx) : undefined;
  const statuses: number[] = [];
  let htmlAnswers = 0;
  let loginPageRedirects = 0;
  // A JSON login API never answers a refused password with a redirect; a form login normally does.
  const backToLoginPage = login !== undefined && !login.expectsJson ? loginPageTest(ctx) : () => false;
  const shape = { url: ctx.target.rateLimitUrl, method, limit, setting: isLogin ? LOGIN_URL_SETTING : RATELIMIT_URL_SETTING };
  // Sequential on purpose: "request N got the 429" is the evidence, and we stop right there.
  for (let n = 1; n <= limit && !ctx.signal.aborted; n += 1) {
    const response = await httpRequest(ctx, ctx.target.rateLimitUrl, {
      check: 'ratelimit.enforced',
      method,
      headers: login?.headers ?? { accept: '*/*' },
      ...(login === undefined ? {} : { body: login.body }),
      followRedirects: false,
      maxBodyBytes: 64 * 1024,
      onOversize: 'truncate',
    });
    statuses.push(response.status);
    if (login?.expectsJson === true && looksLikeHtml(response)) htmlAnswers += 1;
    if (backToLoginPage(response)) loginPageRedirects += 1;
    if (response.status === 429) {
      const limited = { ...shape, statuses, htmlAnswers, loginPageRedirects, firstLimitedRequest: n, limitedHeaders: response.headers };
      return n === 1 ? { ...limited, control: await controlPage(ctx) } : limited;
    }
  }
  return { ...shape, statuses, htmlAnswers, loginPageRedirects };
}

/** An ordinary page of the site, asked after a 429 on the very first burst request: is the whole site refusing us? */
async function controlPage(ctx: ProbeContext): Promise<{ url: string; status: number }> {
  const url = `${ctx.target.baseUrl}/`;
  const response = await httpRequest(ctx, url, { check: 'ratelimit.enforced', maxBodyBytes: 64 * 1024, onOversize: 'truncate' });
  return { url, status: response.status };
}

export const rateLimitProbe = defineProbe({
  name: 'ratelimit',
  checks: ['ratelimit.enforced'],
  // A retry would double the burst.
  retry: false,
  timeoutMs: (options: ProbeOptions) => Math.max(options.timeoutMs, 30_000),
  async run(ctx) {
    // The test user logs in before the burst exhausts the login limit for this client. A refused
    // login is no reason not to burst, but a target that does not answer at all is: report that now.
    await loginSession(ctx).catch((error: unknown) => {
      if (!(error instanceof ProbeFailure)) throw error;
    });
    return [evaluateRateLimit(await burst(ctx))];
  },
});
