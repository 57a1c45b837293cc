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

async function preflight(ctx: ProbeContext, origin: string): Promise<CorsExchange> {
  const response = await httpRequest(ctx, ctx.target.apiUrl, {
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
  const response = await httpRequest(ctx, ctx.target.apiUrl, {
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
    ].map((finding) => judgedOnTheApi(finding, exchanges, ctx.target.apiUrl));
  },
});
