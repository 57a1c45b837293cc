import { fail, pass, skip, warn, type Finding } from '../../src/core/result.js';
import type { HttpSnapshot } from '../../src/net/http.js';

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

export function evaluateErrorLeak(plain: HttpSnapshot, hostile: readonly HttpSnapshot[]): Finding {
  const evidence = { plain: { url: plain.url, status: plain.status }, hostile: hostile.map((r) => ({ url: r.url, status: r.status })) };
  if (plain.status === 404) {
    return skip(
      'exposure.error_leak',
      'no_query_endpoint',
      `the query URL ${plain.url} answers 404 to plain input; set --query-url to enable this check`,
      evidence,
    );
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
