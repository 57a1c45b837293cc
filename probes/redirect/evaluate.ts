import { errored, fail, pass, warn, type Finding } from '../../src/core/result.js';

/** One response on the way from the plain-HTTP entry point; `location` only on redirects. */
export interface Hop {
  readonly url: string;
  readonly status: number;
  readonly location: string | null;
}

export interface RedirectWalk {
  readonly entryUrl: string;
  /** The host the HTTPS target lives on: the redirects must end there. */
  readonly httpsHost: string;
  readonly hops: readonly Hop[];
  /** Why the walk stopped before a final page, if it did. */
  readonly stopped?: 'off_host' | 'too_many_redirects' | 'loop';
}

export const bareHost = (url: URL): string => url.hostname.replace(/^\[|\]$/g, '');

const isRedirectStatus = (status: number): boolean => status >= 300 && status < 400;

/**
 * Fails when plain HTTP serves content or never gets to HTTPS on the target's host; warns on
 * every extra hop (each one is another plain or repeated round trip a user's first visit pays).
 */
export function evaluateHttpsRedirect(walk: RedirectWalk): Finding {
  const id = 'http.https_redirect';
  const first = walk.hops[0];
  const evidence = {
    entryUrl: walk.entryUrl,
    hops: walk.hops.map((h) => ({ ...h })),
    redirects: walk.hops.filter((h) => h.location !== null).length,
  };
  if (first === undefined) return fail(id, 'no_response', `${walk.entryUrl} gave no response`, evidence);
  const refused = walk.hops.find((h) => h.status === 429);
  if (refused !== undefined) {
    return errored(id, 'rate_limited', `${refused.url} answered 429: where plain HTTP leads was not shown`, evidence);
  }
  if (first.location === null) {
    return isRedirectStatus(first.status)
      ? fail(id, 'no_https', `${walk.entryUrl} answered ${first.status} without a Location`, evidence)
      : fail(
          id,
          'serves_content',
          `${walk.entryUrl} serves content over plain HTTP (status ${first.status}) instead of redirecting to HTTPS`,
          evidence,
        );
  }
  const last = walk.hops[walk.hops.length - 1] as Hop;
  const finalUrl = new URL(last.location ?? last.url);
  const reachedHttps = walk.stopped === undefined && finalUrl.protocol === 'https:' && bareHost(finalUrl) === walk.httpsHost;
  if (!reachedHttps) {
    const why =
      walk.stopped === 'too_many_redirects'
        ? 'redirects too many times'
        : walk.stopped === 'loop'
          ? 'redirects in a loop'
          : `ends at ${finalUrl.href}`;
    return fail(id, 'no_https', `${walk.entryUrl} never reaches HTTPS on ${walk.httpsHost}: it ${why}`, evidence);
  }
  const firstTarget = new URL(first.location);
  if (firstTarget.protocol !== 'https:') {
    return warn(
      id,
      'not_direct',
      `${walk.entryUrl} first redirects to ${firstTarget.href}, not straight to HTTPS (${evidence.redirects} redirects)`,
      evidence,
    );
  }
  if (evidence.redirects > 1) {
    return warn(id, 'multiple_redirects', `${walk.entryUrl} takes ${evidence.redirects} redirects to reach its final page`, evidence);
  }
  return pass(id, `${walk.entryUrl} redirects straight to ${firstTarget.href} (${first.status})`, evidence);
}
