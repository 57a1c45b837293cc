import { fail, pass, type Finding } from '../../src/core/result.js';

export interface LegalPageVisit {
  readonly linkText?: string;
  readonly href?: string;
  readonly status?: number | null;
  readonly rendered?: boolean;
}

/** checks.md compliance.privacy_policy / compliance.terms: linked from the landing page and reachable. */
export function evaluateLegalPage(
  id: 'compliance.privacy_policy' | 'compliance.terms',
  what: string,
  landing: string,
  visit: LegalPageVisit,
): Finding {
  const evidence = { landing, linkText: visit.linkText ?? null, href: visit.href ?? null, status: visit.status ?? null };
  if (visit.href === undefined) return fail(id, 'no_link', `no ${what} link on the landing page ${landing}`, evidence);
  if (visit.status === null || visit.status === undefined || visit.status < 200 || visit.status > 299) {
    return fail(
      id,
      'unreachable',
      `the ${what} link on ${landing} leads to ${visit.href}, which answered ${visit.status ?? 'nothing'}`,
      evidence,
    );
  }
  if (visit.rendered === false) return fail(id, 'not_rendered', `the ${what} page ${visit.href} answered but shows no content`, evidence);
  return pass(id, `${what} linked from ${landing} and reachable at ${visit.href}`, evidence);
}

/** checks.md compliance.cookie_consent: a first-time visitor sees a consent banner. */
export function evaluateConsentBanner(landing: string, banner: { visible: boolean; text?: string }): Finding {
  const evidence = { landing, banner: banner.visible, text: banner.text?.slice(0, 200) ?? null };
  if (!banner.visible)
    return fail('compliance.cookie_consent', 'no_banner', `a first-time visitor to ${landing} sees no cookie consent banner`, evidence);
  return pass('compliance.cookie_consent', `a first-time visitor to ${landing} sees a consent banner`, evidence);
}

// Strictly necessary cookies are allowed before consent (ePrivacy art. 5(3)): session, CSRF, the consent choice itself, language.
const ESSENTIAL_COOKIE = /sess|sid|csrf|xsrf|consent|cookie_?pref|^lang$|locale/i;
const ANALYTICS_URL =
  /google-analytics|googletagmanager|gtag\/js|\/collect\b|analytics|segment\.(io|com)|mixpanel|amplitude|hotjar|plausible|matomo|\/track\b|facebook\.net/i;

/** Essential by its name, or because the app declares it so (the session cookie, app.legal.essentialCookies). */
export const isEssentialCookie = (name: string, declared: string | readonly string[] = []): boolean =>
  (typeof declared === 'string' ? [declared] : declared).includes(name) || ESSENTIAL_COOKIE.test(name);
export const isAnalyticsRequest = (url: string): boolean => ANALYTICS_URL.test(url);

/** checks.md compliance.cookies_before_consent: no non-essential cookies and no analytics requests before consent. */
export function evaluateBeforeConsent(
  landing: string,
  seen: { cookies: readonly string[]; requests: readonly string[] },
  essential: string | readonly string[] = [],
): Finding {
  const cookies = seen.cookies.filter((name) => !isEssentialCookie(name, essential));
  const analytics = seen.requests.filter(isAnalyticsRequest);
  const evidence = { landing, nonEssentialCookies: [...new Set(cookies)], analyticsRequests: [...new Set(analytics)].slice(0, 10) };
  if (analytics.length > 0)
    return fail(
      'compliance.cookies_before_consent',
      'analytics_before_consent',
      `analytics requested before consent on ${landing}: ${analytics[0]}`,
      evidence,
    );
  if (cookies.length > 0)
    return fail(
      'compliance.cookies_before_consent',
      'cookies_before_consent',
      `non-essential cookie(s) set before consent on ${landing}: ${[...new Set(cookies)].join(', ')}`,
      evidence,
    );
  return pass('compliance.cookies_before_consent', `no analytics and only essential cookies before consent on ${landing}`, evidence);
}
