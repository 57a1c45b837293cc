import { defineProbe, type ProbeContext } from '../../src/core/probe.js';
import type { Finding } from '../../src/core/result.js';
import { httpRequest } from '../../src/net/http.js';
import {
  ATTACKER_ORIGIN,
  evaluateAllowedOrigin,
  evaluateNullOrigin,
  evaluateOriginReflection,
  evaluateOriginValidation,
  evaluateWildcardCredentials,
  judgedOnTheApi,
  lookalikeOrigins,
  type CorsExchange,
} from './evaluate.js';
import type { Target } from '../../src/core/target.js';

/**
 * A route the API really serves, not its bare base (Express answers GET/OPTIONS /api with a 404
 * page): the authenticated read (the user data CORS guards), else the health URL, when under the API.
 */
export function corsUrl(target: Pick<Target, 'apiUrl' | 'authenticatedReadUrl' | 'healthUrl'>): string {
  const underApi = (url: string | undefined): url is string =>
    url !== undefined && (url === target.apiUrl || url.startsWith(`${target.apiUrl}/`));
  return [target.authenticatedReadUrl, target.healthUrl].find(underApi) ?? target.apiUrl;
}

async function preflight(ctx: ProbeContext, origin: string): Promise<CorsExchange> {
  const response = await httpRequest(ctx, corsUrl(ctx.target), {
    check: 'cors.allowed_origin',
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': ctx.options.preflightMethod,
      ...(ctx.options.preflightHeaders.length === 0 ? {} : { 'access-control-request-headers': ctx.options.preflightHeaders.join(', ') }),
    },
    maxBodyBytes: 64 * 1024,
    onOversize: 'truncate',
  });
  return { origin, kind: 'preflight', response };
}

async function simple(ctx: ProbeContext, origin: string): Promise<CorsExchange> {
  const response = await httpRequest(ctx, corsUrl(ctx.target), {
    check: 'cors.origin_reflection',
    headers: { origin, accept: 'application/json' },
    maxBodyBytes: 64 * 1024,
    onOversize: 'truncate',
  });
  return { origin, kind: 'simple', response };
}

export const corsProbe = defineProbe({
  name: 'cors',
  checks: ['cors.origin_reflection', 'cors.null_origin', 'cors.origin_validation', 'cors.wildcard_credentials', 'cors.allowed_origin'],
  async run(ctx): Promise<Finding[]> {
    const allowed = ctx.target.allowedOrigin;
    // Seven requests: preflights from every origin, plus simple GETs from the two that servers most often echo.
    const exchanges = await Promise.all([
      preflight(ctx, allowed),
      preflight(ctx, ATTACKER_ORIGIN),
      simple(ctx, ATTACKER_ORIGIN),
      preflight(ctx, 'null'),
      simple(ctx, 'null'),
      ...lookalikeOrigins(allowed).map((origin) => preflight(ctx, origin)),
    ]);
    return [
      evaluateOriginReflection(exchanges),
      evaluateNullOrigin(exchanges),
      evaluateOriginValidation(exchanges, allowed),
      evaluateWildcardCredentials(exchanges),
      evaluateAllowedOrigin(exchanges, allowed, { method: ctx.options.preflightMethod, headers: ctx.options.preflightHeaders }),
    ].map((finding) => judgedOnTheApi(finding, exchanges, corsUrl(ctx.target)));
  },
});
