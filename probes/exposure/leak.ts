import { errored, fail, pass, skip, warn, type Finding } from '../../src/core/result.js';
import type { HttpSnapshot } from '../../src/net/http.js';
import { isMissingEndpoint, isRateLimited, isRedirect, looksLikeHtml } from '../answer-shape.js';

/** Malformed and injection-shaped inputs, as they go on the URL (the last is deliberately bad percent-encoding). */
export const HOSTILE_QUERIES = [encodeURIComponent("'"), encodeURIComponent("1' OR '1'='1' --"), '%%%27%22'] as const;
export const PLAIN_QUERY = 'vorwatch';

const STACK_TRACE: readonly RegExp[] = [
  /\n\s+at [\w$.<>[\] ]+ \(?[^\s()]+:\d+:\d+\)?/,
  /Traceback \(most recent call last\)/,
  /\b(java|javax|org\.\w+)\.[\w.]+(Exception|Error)\b[\s\S]{0,200}\n\s+at /,
  /\.php on line \d+/,
  /\b(TypeError|ReferenceError|SyntaxError|RangeError): [^\n]+\n\s+at /,
];
const DATABASE_ERROR: readonly RegExp[] = [
  /SQLITE_[A-Z]+/,
  /\bsqlite3?\.\w*Error\b/i,
  /near "[^"]*": syntax error/,
  /You have an error in your SQL syntax/i,
  /syntax error at or near/i,
  /unterminated quoted string/i,
  /\bORA-\d{5}\b/,
  /\bPG::\w+/,
  /SequelizeDatabaseError|QueryFailedError|PrismaClient\w*Error/,
  /SQLSTATE\[\w+\]/,
];

export function leakIn(body: string): 'stack_trace' | 'database_error' | undefined {
  if (DATABASE_ERROR.some((r) => r.test(body))) return 'database_error';
  if (STACK_TRACE.some((r) => r.test(body))) return 'stack_trace';
  return undefined;
}

/** What to set when the query URL is not an API endpoint. */
export const QUERY_URL_HINT = "set --query-url (VOR_QUERY_URL) or the profile's app.api.query to a search/query endpoint of the API";

/** Why the plain query's answer shows no API endpoint to judge, if it does not. */
function notAnApi(plain: HttpSnapshot): { reason: string; what: string } | undefined {
  if (isMissingEndpoint(plain)) return { reason: 'no_query_endpoint', what: `answers ${plain.status} to plain input` };
  if (isRedirect(plain)) return { reason: 'no_query_endpoint', what: `redirects plain input (${plain.status}) elsewhere` };
  if (plain.status === 401 || plain.status === 403) {
    return { reason: 'no_query_endpoint', what: `refuses plain input without a session (${plain.status})` };
  }
  if (plain.status < 500 && looksLikeHtml(plain)) {
    return { reason: 'not_an_api_response', what: `answers an HTML page (${plain.status}) where a JSON answer was asked for` };
  }
  return undefined;
}

/** Hostile input is sent only where plain input reached the API (no point probing a 404 or a landing page). */
export const isJudgeableQueryEndpoint = (plain: HttpSnapshot): boolean => !isRateLimited(plain) && notAnApi(plain) === undefined;

export function evaluateErrorLeak(plain: HttpSnapshot, hostile: readonly HttpSnapshot[]): Finding {
  const evidence = { plain: { url: plain.url, status: plain.status }, hostile: hostile.map((r) => ({ url: r.url, status: r.status })) };
  if (isRateLimited(plain)) {
    return errored(
      'exposure.error_leak',
      'rate_limited',
      `the query URL ${plain.url} answered 429 to plain input; nothing was judged`,
      evidence,
    );
  }
  const unusable = notAnApi(plain);
  if (unusable !== undefined) {
    return skip('exposure.error_leak', unusable.reason, `the query URL ${plain.url} ${unusable.what}; ${QUERY_URL_HINT}`, evidence);
  }
  for (const response of hostile) {
    const leak = leakIn(response.body);
    if (leak !== undefined) {
      return fail('exposure.error_leak', leak, `${response.url} answers ${response.status} with a ${leak.replace('_', ' ')}`, {
        ...evidence,
        leakingUrl: response.url,
      });
    }
  }
  const limited = hostile.filter(isRateLimited);
  if (limited.length > 0) {
    return errored(
      'exposure.error_leak',
      'rate_limited',
      `${limited.length} of ${hostile.length} malformed queries to ${plain.url} were answered 429; the rest show no leak`,
      evidence,
    );
  }
  const serverError = hostile.find((r) => r.status >= 500);
  if (serverError !== undefined) {
    return warn(
      'exposure.error_leak',
      'server_error',
      `${serverError.url} answers ${serverError.status} (no stack trace or database error shown)`,
      evidence,
    );
  }
  return pass('exposure.error_leak', `${hostile.length} malformed queries are handled without a 500 or a leak`, evidence);
}
