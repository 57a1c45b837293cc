import { errored, fail, pass, warn, type Finding } from '../../src/core/result.js';
import { headerOf, type HttpSnapshot } from '../../src/net/http.js';
import { isJsonAnswer, isRateLimited, looksLikeHtml } from '../answer-shape.js';

export const ATTACKER_ORIGIN = 'https://attacker.invalid';

/** One CORS request the probe made and what came back. */
export interface CorsExchange {
  readonly origin: string;
  readonly kind: 'preflight' | 'simple';
  readonly response: HttpSnapshot;
}

/**
 * Look-alikes of the allowed origin that naive checks accept: the origin as a string prefix, its
 * host as a DNS prefix (`app.example.com.attacker.invalid`), and its host as a suffix (`attackerapp.example.com`).
 */
export function lookalikeOrigins(allowedOrigin: string): string[] {
  const url = new URL(allowedOrigin);
  const port = url.port === '' ? '' : `:${url.port}`;
  return [
    ...new Set([
      `${allowedOrigin}.attacker.invalid`,
      `${url.protocol}//${url.hostname}.attacker.invalid${port}`,
      `${url.protocol}//attacker${url.hostname}${port}`,
    ]),
  ];
}

const allowOrigin = (r: HttpSnapshot): string | null => headerOf(r, 'access-control-allow-origin')?.trim() ?? null;
const allowsCredentials = (r: HttpSnapshot): boolean => headerOf(r, 'access-control-allow-credentials')?.trim().toLowerCase() === 'true';
/** The response grants this specific origin (a `*` grants no origin anything beyond a credential-less read). */
export const grants = (exchange: CorsExchange): boolean => allowOrigin(exchange.response) === exchange.origin;

const describe = (e: CorsExchange) => ({
  origin: e.origin,
  request: e.kind,
  url: e.response.url,
  status: e.response.status,
  allowOrigin: allowOrigin(e.response),
  allowCredentials: headerOf(e.response, 'access-control-allow-credentials'),
});

export function evaluateOriginReflection(exchanges: readonly CorsExchange[]): Finding {
  const mine = exchanges.filter((e) => e.origin === ATTACKER_ORIGIN);
  const reflected = mine.find(grants);
  const evidence = { exchanges: mine.map(describe) };
  if (reflected !== undefined) {
    const withCredentials = allowsCredentials(reflected.response);
    return {
      ...fail(
        'cors.origin_reflection',
        'reflected',
        `${reflected.response.url} echoes Origin ${reflected.origin} in Access-Control-Allow-Origin${withCredentials ? ' with credentials allowed' : ''}`,
        { ...evidence, reflectedOrigin: reflected.origin, allowCredentials: withCredentials },
      ),
      ...(withCredentials ? { severity: 'critical' as const } : {}),
    };
  }
  return pass('cors.origin_reflection', `an arbitrary origin (${ATTACKER_ORIGIN}) is not allowed`, evidence);
}

export function evaluateNullOrigin(exchanges: readonly CorsExchange[]): Finding {
  const mine = exchanges.filter((e) => e.origin === 'null');
  const allowed = mine.find(grants);
  const evidence = { exchanges: mine.map(describe) };
  if (allowed !== undefined) {
    return fail(
      'cors.null_origin',
      'null_allowed',
      `${allowed.response.url} allows Origin: null (sandboxed iframes, file: pages)`,
      evidence,
    );
  }
  return pass('cors.null_origin', 'Origin: null is not allowed', evidence);
}

export function evaluateOriginValidation(exchanges: readonly CorsExchange[], allowedOrigin: string): Finding {
  const candidates = lookalikeOrigins(allowedOrigin);
  const mine = exchanges.filter((e) => candidates.includes(e.origin));
  const allowed = mine.find(grants);
  const evidence = { allowedOrigin, exchanges: mine.map(describe) };
  if (allowed !== undefined) {
    return fail('cors.origin_validation', 'lookalike_allowed', `${allowed.response.url} allows the look-alike origin ${allowed.origin}`, {
      ...evidence,
      allowedLookalike: allowed.origin,
    });
  }
  return pass('cors.origin_validation', `${mine.length} look-alike origins of ${allowedOrigin} are refused`, evidence);
}

export function evaluateWildcardCredentials(exchanges: readonly CorsExchange[]): Finding {
  const wildcards = exchanges.filter((e) => allowOrigin(e.response) === '*');
  const withCredentials = wildcards.find((e) => allowsCredentials(e.response));
  const evidence = { exchanges: wildcards.map(describe) };
  if (withCredentials !== undefined) {
    return fail(
      'cors.wildcard_credentials',
      'wildcard_with_credentials',
      `${withCredentials.response.url} answers Access-Control-Allow-Origin: * with Access-Control-Allow-Credentials: true`,
      evidence,
    );
  }
  const [first] = wildcards;
  if (first !== undefined) {
    return warn(
      'cors.wildcard_credentials',
      'wildcard',
      `${first.response.url} answers Access-Control-Allow-Origin: * on an API that serves user data`,
      evidence,
    );
  }
  return pass('cors.wildcard_credentials', 'the API never answers Access-Control-Allow-Origin: *', evidence);
}

const listed = (header: string | null): string[] =>
  (header ?? '')
    .split(',')
    .map((v) => v.trim().toLowerCase())
    .filter((v) => v !== '');
/** Browsers accept these without Access-Control-Allow-Methods. */
const SAFELISTED_METHODS = ['GET', 'HEAD', 'POST'];

export function evaluateAllowedOrigin(
  exchanges: readonly CorsExchange[],
  allowedOrigin: string,
  request: { readonly method: string; readonly headers: readonly string[] },
): Finding {
  const preflight = exchanges.find((e) => e.origin === allowedOrigin && e.kind === 'preflight');
  if (preflight === undefined) return errored('cors.allowed_origin', 'not_evaluated', `no preflight from ${allowedOrigin} was made`);
  const r = preflight.response;
  const evidence = {
    ...describe(preflight),
    requestMethod: request.method,
    requestHeaders: [...request.headers],
    allowMethods: headerOf(r, 'access-control-allow-methods'),
    allowHeaders: headerOf(r, 'access-control-allow-headers'),
  };
  const origin = allowOrigin(r);
  if (r.status < 200 || r.status >= 300) {
    return fail(
      'cors.allowed_origin',
      'preflight_rejected',
      `the preflight from ${allowedOrigin} to ${r.url} answered ${r.status}`,
      evidence,
    );
  }
  if (origin !== allowedOrigin && origin !== '*') {
    return fail(
      'cors.allowed_origin',
      'origin_not_allowed',
      `the preflight from ${allowedOrigin} to ${r.url} got Access-Control-Allow-Origin ${JSON.stringify(origin)}`,
      evidence,
    );
  }
  const methods = listed(headerOf(r, 'access-control-allow-methods'));
  if (!SAFELISTED_METHODS.includes(request.method) && !methods.includes(request.method.toLowerCase()) && !methods.includes('*')) {
    return fail(
      'cors.allowed_origin',
      'method_not_allowed',
      `the preflight from ${allowedOrigin} does not allow ${request.method}`,
      evidence,
    );
  }
  const headers = listed(headerOf(r, 'access-control-allow-headers'));
  const missing = request.headers.filter((h) => !headers.includes(h.toLowerCase()) && !headers.includes('*'));
  if (missing.length > 0) {
    return fail(
      'cors.allowed_origin',
      'header_not_allowed',
      `the preflight from ${allowedOrigin} does not allow header(s) ${missing.join(', ')}`,
      evidence,
    );
  }
  return pass(
    'cors.allowed_origin',
    `${allowedOrigin} may ${request.method} with ${request.headers.join(', ') || 'no extra headers'}`,
    evidence,
  );
}

/**
 * Some answer shows an API there: a CORS header, a JSON answer, or a 2xx that is not an HTML page.
 * A catch-all landing page or a 404 page for everything grants no origin anything, but proves nothing
 * about the API's CORS rules either.
 */
export function answersAsApi(exchanges: readonly CorsExchange[]): boolean {
  return exchanges.some(
    ({ response: r }) =>
      Object.keys(r.headers).some((name) => name.startsWith('access-control-')) ||
      isJsonAnswer(r) ||
      (r.status >= 200 && r.status < 300 && !looksLikeHtml(r)),
  );
}

/** A finding that rests on something the API granted (or, for cors.allowed_origin, the grant it must make) stands on its own. */
const restsOnAGrant = (finding: Finding): boolean =>
  finding.id === 'cors.allowed_origin' ? finding.status === 'pass' : finding.status === 'fail' || finding.status === 'warn';

/**
 * A finding that rests on the absence of a grant holds only where the API answered: a 429 means it
 * did not (`rate_limited`), and answers that show no API at all mean the API base is wrong (`endpoint_not_found`).
 */
export function judgedOnTheApi(finding: Finding, exchanges: readonly CorsExchange[], url: string): Finding {
  if (restsOnAGrant(finding)) return finding;
  const evidence = {
    ...finding.evidence,
    statuses: exchanges.map((e) => ({ origin: e.origin, request: e.kind, status: e.response.status })),
  };
  const limited = exchanges.filter((e) => isRateLimited(e.response)).length;
  if (limited > 0) {
    return errored(
      finding.id,
      'rate_limited',
      `${limited} of ${exchanges.length} CORS requests to ${url} were answered 429; not judged`,
      evidence,
    );
  }
  if (!answersAsApi(exchanges)) {
    return errored(
      finding.id,
      'endpoint_not_found',
      `${url} answers no CORS request as an API (no CORS header, no JSON: ${[...new Set(exchanges.map((e) => e.response.status))].join('/')} pages); set --api (VOR_API_URL) to the API's base URL, or the profile's app.api.authenticatedRead to a route it serves`,
      evidence,
    );
  }
  return finding;
}
