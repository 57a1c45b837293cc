import { errored, fail, pass, warn, type Finding } from '../../src/core/result.js';

/** What a bounded burst saw: statuses in order, and the 429's headers if one came. */
export interface BurstOutcome {
  readonly url: string;
  readonly method: string;
  readonly limit: number;
  readonly statuses: readonly number[];
  /** 1-based number of the request that got the first 429. */
  readonly firstLimitedRequest?: number;
  readonly limitedHeaders?: Readonly<Record<string, string>>;
  /** How many answers were HTML documents although the request asked for JSON (a login API never answers a page). */
  readonly htmlAnswers?: number;
  /** How many 3xx answers sent a form login's refused password back to the login page: the endpoint refusing, not a missing one. */
  readonly loginPageRedirects?: number;
  /** When the very first request got 429: what an ordinary page of the site answered just after. */
  readonly control?: { readonly url: string; readonly status: number };
  /** Where the URL is configured, for the messages (`--ratelimit-url`, and the login URL's settings when it is the login). */
  readonly setting?: string;
}

export const RATELIMIT_URL_SETTING = '--ratelimit-url (VOR_RATELIMIT_URL)';
export const LOGIN_URL_SETTING = `${RATELIMIT_URL_SETTING}, or --login-url / the profile's app.api.login.url`;

/** A 3xx counts unless it is a form login's `302 → /login?error` (see loginPageRedirects). */
const NOT_AN_ENDPOINT = (status: number): boolean => [404, 405, 410, 501].includes(status) || (status >= 300 && status < 400);

const RATE_LIMIT_HEADER = /^(retry-after|ratelimit(-.*)?|x-ratelimit-.*)$/i;

export function rateLimitHeadersOf(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => RATE_LIMIT_HEADER.test(name)));
}

function statusCounts(statuses: readonly number[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const s of statuses) counts[String(s)] = (counts[String(s)] ?? 0) + 1;
  return counts;
}

export function evaluateRateLimit(outcome: BurstOutcome): Finding {
  const evidence = {
    url: outcome.url,
    method: outcome.method,
    burstLimit: outcome.limit,
    requestsSent: outcome.statuses.length,
    statusCounts: statusCounts(outcome.statuses),
    firstLimitedRequest: outcome.firstLimitedRequest ?? null,
    ...(outcome.control === undefined ? {} : { control: { ...outcome.control } }),
  };
  const setting = outcome.setting ?? RATELIMIT_URL_SETTING;
  if (outcome.firstLimitedRequest === 1 && outcome.control !== undefined && outcome.control.status === 429) {
    // A limiter that already holds this client and a site that answers 429 to everything look alike on
    // the login URL; an ordinary page answering 429 too says it is the latter, so the burst proved nothing.
    return errored(
      'ratelimit.enforced',
      'rate_limited',
      `${outcome.url} answered 429 to the first request and so did ${outcome.control.url}: the target refuses this client everywhere, so no limit on ${outcome.url} was shown`,
      evidence,
    );
  }
  const sent = outcome.statuses.length;
  const notAnEndpoint = outcome.statuses.filter(NOT_AN_ENDPOINT).length - (outcome.loginPageRedirects ?? 0);
  if (outcome.firstLimitedRequest === undefined && sent > 0 && notAnEndpoint === sent) {
    return errored(
      'ratelimit.enforced',
      'endpoint_not_found',
      `${outcome.method} ${outcome.url} answered ${Object.keys(evidence.statusCounts).join('/')} to all ${sent} requests: no endpoint there to limit; set ${setting}`,
      evidence,
    );
  }
  if (outcome.firstLimitedRequest === undefined && sent > 0 && outcome.htmlAnswers === sent) {
    return errored(
      'ratelimit.enforced',
      'endpoint_not_found',
      `${outcome.method} ${outcome.url} answered an HTML page to all ${sent} JSON requests: not the login API; set ${setting}`,
      evidence,
    );
  }
  if (outcome.firstLimitedRequest === undefined) {
    return fail(
      'ratelimit.enforced',
      'not_enforced',
      `${outcome.statuses.length} ${outcome.method} requests to ${outcome.url} never got 429`,
      evidence,
    );
  }
  const limitHeaders = rateLimitHeadersOf(outcome.limitedHeaders ?? {});
  if (Object.keys(limitHeaders).length === 0) {
    return warn(
      'ratelimit.enforced',
      'no_rate_limit_headers',
      `request ${outcome.firstLimitedRequest} to ${outcome.url} got 429 without Retry-After or RateLimit-* headers`,
      { ...evidence, rateLimitHeaders: limitHeaders },
    );
  }
  // 429 from request 1 while the site's pages still answer: the limiter holds this client from an earlier burst (the monitor's last cycle, say).
  const already = outcome.firstLimitedRequest === 1 ? ' (already limited from an earlier burst)' : '';
  return pass('ratelimit.enforced', `request ${outcome.firstLimitedRequest} to ${outcome.url} got 429${already}`, {
    ...evidence,
    rateLimitHeaders: limitHeaders,
  });
}
