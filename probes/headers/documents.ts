import type { CheckId } from '../../src/core/catalogue.js';
import type { ProbeContext } from '../../src/core/probe.js';
import { ProbeFailure } from '../../src/net/failure.js';
import { httpRequest, type HttpSnapshot } from '../../src/net/http.js';
import { isRateLimited } from '../answer-shape.js';

/**
 * The site's main document, or why there is none to judge: a 404/410 says the target URL names no
 * site (headers, cookies and assets of a not-found page say nothing about the site), a 429 that the
 * target refused to answer this client.
 */
export function siteDocumentOrThrow(document: HttpSnapshot): HttpSnapshot {
  if (document.status === 404 || document.status === 410) {
    throw new ProbeFailure(
      'endpoint_not_found',
      `the target URL ${document.finalUrl} answered ${document.status}: no site there to judge; set --target (VOR_BASE_URL) to the site's address`,
    );
  }
  if (isRateLimited(document)) {
    throw new ProbeFailure('rate_limited', `the target URL ${document.finalUrl} answered 429: the site refused to answer this client`);
  }
  return document;
}

/** The target URL fetched with GET, following up to 5 same-host redirects (checks.md, "Main document"). */
export const mainDocument = (ctx: ProbeContext, check: CheckId = 'headers.hsts'): Promise<HttpSnapshot> =>
  ctx.observe('main-document', async () =>
    siteDocumentOrThrow(
      await httpRequest(ctx, ctx.target.baseUrl.endsWith('/') ? ctx.target.baseUrl : `${ctx.target.baseUrl}/`, {
        check,
        headers: { accept: 'text/html,application/xhtml+xml' },
      }),
    ),
  );

/** The API base, for the headers that must hold there too. */
export const apiBase = (ctx: ProbeContext, check: CheckId = 'headers.hsts'): Promise<HttpSnapshot> =>
  ctx.observe('api-base', () => httpRequest(ctx, ctx.target.apiUrl, { check, headers: { accept: 'application/json' } }));
