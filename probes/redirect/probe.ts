import { defineProbe, type ProbeContext } from '../../src/core/probe.js';
import { httpRequest } from '../../src/net/http.js';
import { bareHost, evaluateHttpsRedirect, type Hop, type RedirectWalk } from './evaluate.js';

export const MAX_HOPS = 5;
/** Only the status and Location matter; a page served over HTTP is judged by its status alone. */
const HOP_BODY_BYTES = 16 * 1024;

/** Walks redirects by hand from the plain-HTTP entry point, staying on the target's host. */
export async function walkRedirects(ctx: ProbeContext): Promise<RedirectWalk> {
  const entryUrl = new URL(ctx.target.httpUrl).href;
  const httpsHost = ctx.target.host;
  const hops: Hop[] = [];
  const visited = new Set<string>();
  let url = entryUrl;
  for (;;) {
    visited.add(url);
    const response = await httpRequest(ctx, url, {
      check: 'http.https_redirect',
      followRedirects: false,
      maxBodyBytes: HOP_BODY_BYTES,
      onOversize: 'truncate',
    });
    const location = response.status >= 300 && response.status < 400 ? response.headers.location : undefined;
    if (location === undefined) {
      hops.push({ url, status: response.status, location: null });
      return { entryUrl, httpsHost, hops };
    }
    const next = new URL(location, url);
    hops.push({ url, status: response.status, location: next.href });
    // Never follow off the target's host: the verdict is already known, and probes stay on their target.
    if (bareHost(next) !== bareHost(new URL(entryUrl)) && bareHost(next) !== httpsHost)
      return { entryUrl, httpsHost, hops, stopped: 'off_host' };
    if (visited.has(next.href)) return { entryUrl, httpsHost, hops, stopped: 'loop' };
    if (hops.length >= MAX_HOPS) return { entryUrl, httpsHost, hops, stopped: 'too_many_redirects' };
    url = next.href;
  }
}

export const httpsRedirectProbe = defineProbe({
  name: 'redirect',
  checks: ['http.https_redirect'],
  async run(ctx) {
    return [evaluateHttpsRedirect(await walkRedirects(ctx))];
  },
});
