import { fail, pass, skip, type Finding } from '../../src/core/result.js';
import { headerOf, type HttpSnapshot } from '../../src/net/http.js';

const isJson = (doc: HttpSnapshot): boolean => /\bjson\b/i.test(headerOf(doc, 'content-type') ?? '');
const isSuccess = (doc: HttpSnapshot): boolean => doc.status >= 200 && doc.status < 300;

/** A public path may be given from the origin (the API base's path prefix included) or from the API base (`/products`). */
export function isPublicApiPath(url: string, apiUrl: string, publicApiPaths: readonly string[]): boolean {
  const path = new URL(url).pathname;
  const apiPath = new URL(apiUrl).pathname.replace(/\/+$/, '');
  const relative = path.startsWith(apiPath) ? path.slice(apiPath.length) || '/' : path;
  return publicApiPaths.some((p) =>
    [path, relative].some((candidate) => candidate === p || candidate.startsWith(`${p.replace(/\/+$/, '')}/`)),
  );
}

export const hasNoStore = (cacheControl: string | null): boolean =>
  cacheControl !== null && cacheControl.split(',').some((d) => d.trim().toLowerCase() === 'no-store');

export function evaluateCacheControlSensitive(
  responses: readonly HttpSnapshot[],
  api: { readonly apiUrl: string; readonly publicApiPaths: readonly string[]; readonly loggedIn: boolean },
): Finding {
  const judged = responses.filter((r) => isSuccess(r) && isJson(r) && !isPublicApiPath(r.finalUrl, api.apiUrl, api.publicApiPaths));
  const evidence = {
    checked: judged.map((r) => ({ url: r.finalUrl, cacheControl: headerOf(r, 'cache-control') })),
  };
  if (judged.length === 0) {
    return skip(
      'headers.cache_control_sensitive',
      api.loggedIn ? 'no_json_response' : 'no_credentials',
      api.loggedIn
        ? `no non-public 2xx JSON response from the API (${api.apiUrl}) to judge`
        : `no 2xx JSON response from ${api.apiUrl} without a session; set VOR_TEST_USER_EMAIL and VOR_TEST_USER_PASSWORD to check authenticated reads`,
      evidence,
    );
  }
  const cacheable = judged.filter((r) => !hasNoStore(headerOf(r, 'cache-control')));
  const [first] = cacheable;
  if (first !== undefined) {
    return fail(
      'headers.cache_control_sensitive',
      'cacheable',
      `API response ${first.finalUrl} lacks Cache-Control: no-store (got ${JSON.stringify(headerOf(first, 'cache-control'))})`,
      { ...evidence, failing: cacheable.map((r) => r.finalUrl) },
    );
  }
  return pass('headers.cache_control_sensitive', `${judged.length} API JSON response(s) are no-store`, evidence);
}
