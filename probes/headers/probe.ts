import { defineProbe, type ProbeContext } from '../../src/core/probe.js';
import type { Finding } from '../../src/core/result.js';
import { httpRequest, type HttpSnapshot } from '../../src/net/http.js';
import { loginSession, sessionHeaders } from '../cookies/session.js';
import { evaluateCacheControlSensitive } from './cache-control.js';
import { onEveryDocument } from './combine.js';
import { evaluateCsp } from './csp.js';
import { apiBase, mainDocument } from './documents.js';
import { evaluateHsts } from './hsts.js';
import {
  evaluateContentTypeOptions,
  evaluateFrameOptions,
  evaluateOpenerPolicy,
  evaluatePermissionsPolicy,
  evaluatePoweredBy,
  evaluateReferrerPolicy,
  evaluateServerVersion,
} from './simple.js';

/** Authenticated reads whose answers are user data (the reference target's; 404s are ignored). */
export const AUTHENTICATED_READS = ['/me', '/accounts'] as const;

async function authenticatedReads(ctx: ProbeContext): Promise<{ responses: HttpSnapshot[]; loggedIn: boolean }> {
  // A refused login is reported by the cookie checks; here it only means fewer responses to judge.
  const session = await loginSession(ctx).catch(() => undefined);
  if (session === undefined) return { responses: [], loggedIn: false };
  const responses = await Promise.all(
    AUTHENTICATED_READS.map((path) =>
      httpRequest(ctx, `${ctx.target.apiUrl}${path}`, {
        check: 'headers.cache_control_sensitive',
        headers: { accept: 'application/json', ...sessionHeaders(session) },
        maxBodyBytes: 512 * 1024,
        onOversize: 'truncate',
        // A read sent elsewhere is no answer of this API to judge (and its credentials stay here).
        onCrossOriginRedirect: 'stop',
      }),
    ),
  );
  return { responses, loggedIn: true };
}

export const headersProbe = defineProbe({
  name: 'headers',
  checks: [
    'headers.hsts',
    'headers.csp',
    'headers.x_content_type_options',
    'headers.frame_options',
    'headers.referrer_policy',
    'headers.permissions_policy',
    'headers.cross_origin_opener_policy',
    'headers.x_powered_by',
    'headers.server_version',
    'headers.cache_control_sensitive',
  ],
  async run(ctx): Promise<Finding[]> {
    const [main, api, reads] = await Promise.all([mainDocument(ctx), apiBase(ctx), authenticatedReads(ctx)]);
    const documents = [main, api];
    return [
      onEveryDocument('headers.hsts', documents, (d) => evaluateHsts(d, ctx.options)),
      onEveryDocument('headers.csp', documents, evaluateCsp),
      onEveryDocument('headers.x_content_type_options', documents, evaluateContentTypeOptions),
      onEveryDocument('headers.frame_options', documents, evaluateFrameOptions),
      onEveryDocument('headers.referrer_policy', documents, evaluateReferrerPolicy),
      onEveryDocument('headers.permissions_policy', documents, evaluatePermissionsPolicy),
      onEveryDocument('headers.cross_origin_opener_policy', documents, evaluateOpenerPolicy),
      onEveryDocument('headers.x_powered_by', documents, evaluatePoweredBy),
      onEveryDocument('headers.server_version', documents, evaluateServerVersion),
      evaluateCacheControlSensitive([api, ...reads.responses], {
        apiUrl: ctx.target.apiUrl,
        publicApiPaths: ctx.target.publicApiPaths,
        loggedIn: reads.loggedIn,
      }),
    ];
  },
});
