import { fail, pass, skip, type Finding } from '../../src/core/result.js';
import type { BrokenRequest, ConsoleError } from '../collectors.js';

/** checks.md page.console_errors: any console error or uncaught exception on a critical page fails. */
export function evaluateConsoleErrors(pages: readonly string[], errors: readonly ConsoleError[]): Finding {
  const evidence = { pages: [...pages], errors: errors.slice(0, 10).map((e) => ({ ...e })) };
  const exception = errors.find((e) => e.kind === 'exception');
  if (exception !== undefined)
    return fail('page.console_errors', 'uncaught_exception', `uncaught exception on ${exception.page}: ${exception.text}`, evidence);
  const [first] = errors;
  if (first !== undefined)
    return fail(
      'page.console_errors',
      'console_error',
      `${errors.length} console error(s), first on ${first.page}: ${first.text}`,
      evidence,
    );
  return pass('page.console_errors', `no console errors on ${pages.join(', ')}`, evidence);
}

/** checks.md page.broken_assets: a same-origin request answering 4xx/5xx or failing. */
export function evaluateBrokenAssets(pages: readonly string[], broken: readonly BrokenRequest[]): Finding {
  const evidence = { pages: [...pages], broken: broken.slice(0, 20).map((b) => ({ ...b })) };
  const [first] = broken;
  if (first !== undefined) {
    const what = first.status === undefined ? `failed (${first.failure ?? 'no answer'})` : `answered ${first.status}`;
    return fail(
      'page.broken_assets',
      first.status === undefined ? 'request_failed' : 'broken_asset',
      `${broken.length} broken request(s) on ${pages.join(', ')}: ${first.url} ${what}`,
      evidence,
    );
  }
  return pass('page.broken_assets', `every same-origin request on ${pages.join(', ')} succeeded`, evidence);
}

/** checks.md page.mixed_content: an HTTPS page referencing or loading an http: subresource (a plain-HTTP page is not judged). */
export function evaluateMixedContent(page: string, insecureUrls: readonly string[], pageUrl?: string): Finding {
  const unique = [...new Set(insecureUrls)];
  const evidence = { page, insecure: unique.slice(0, 20) };
  if (pageUrl !== undefined && !pageUrl.startsWith('https:')) {
    return skip('page.mixed_content', 'not_https', `${page} is not served over HTTPS (${pageUrl}); run against an https:// target`, {
      ...evidence,
      pageUrl,
    });
  }
  if (unique.length > 0)
    return fail('page.mixed_content', 'mixed_content', `${unique.length} http: subresource(s) on ${page}, e.g. ${unique[0]}`, evidence);
  return pass('page.mixed_content', `no http: subresources on ${page}`, evidence);
}

export interface RouteVisit {
  readonly route: string;
  readonly status: number | null;
  /** The page rendered a main landmark or a heading (not a blank or error shell). */
  readonly rendered: boolean;
  readonly error?: string;
}

/** checks.md routes.reachable: every listed route answers 2xx and renders. */
export function evaluateRoutes(visits: readonly RouteVisit[]): Finding {
  const broken = visits.filter((v) => v.status === null || v.status < 200 || v.status > 299);
  const blank = visits.filter((v) => !broken.includes(v) && !v.rendered);
  const evidence = { routes: visits.map((v) => ({ ...v })) };
  const [firstBroken] = broken;
  if (firstBroken !== undefined) {
    return fail(
      'routes.reachable',
      'route_broken',
      `${broken.length} of ${visits.length} route(s) not 2xx, e.g. ${firstBroken.route} (${firstBroken.status ?? firstBroken.error ?? 'no answer'})`,
      evidence,
    );
  }
  if (blank.length > 0)
    return fail(
      'routes.reachable',
      'not_rendered',
      `${blank.length} route(s) answered but did not render, e.g. ${blank[0]?.route}`,
      evidence,
    );
  return pass('routes.reachable', `${visits.length} route(s) answer 2xx and render`, evidence);
}
