import { fail, pass, warn, type Finding } from '../../src/core/result.js';

/** What a bounded burst saw: statuses in order, and the 429's headers if one came. */
export interface BurstOutcome {
  readonly url: string;
  readonly method: string;
  readonly limit: number;
  readonly statuses: readonly number[];
  /** 1-based number of the request that got the first 429. */
  readonly firstLimitedRequest?: number;
  readonly limitedHeaders?: Readonly<Record<string, string>>;
}

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
  };
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
  return pass('ratelimit.enforced', `request ${outcome.firstLimitedRequest} to ${outcome.url} got 429`, {
    ...evidence,
    rateLimitHeaders: limitHeaders,
  });
}
