import type { CheckId } from '../../src/core/catalogue.js';
import type { ProbeContext } from '../../src/core/probe.js';
import { httpRequest, type HttpSnapshot } from '../../src/net/http.js';

/** The target URL fetched with GET, following up to 5 same-host redirects (checks.md, "Main document"). */
export const mainDocument = (ctx: ProbeContext, check: CheckId = 'headers.hsts'): Promise<HttpSnapshot> =>
  ctx.observe('main-document', () =>
    httpRequest(ctx, ctx.target.baseUrl.endsWith('/') ? ctx.target.baseUrl : `${ctx.target.baseUrl}/`, {
      check,
      headers: { accept: 'text/html,application/xhtml+xml' },
    }),
  );

/** The API base, for the headers that must hold there too. */
export const apiBase = (ctx: ProbeContext, check: CheckId = 'headers.hsts'): Promise<HttpSnapshot> =>
  ctx.observe('api-base', () => httpRequest(ctx, ctx.target.apiUrl, { check, headers: { accept: 'application/json' } }));
