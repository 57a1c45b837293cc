/** The hardening headers every HTTPS response carries, each one switched off or weakened by its fault. */
import type { ServerResponse } from 'node:http';
import type { Faults } from './faults.js';

/** Server and X-Powered-By: the only ones the plain-HTTP redirects carry too. */
export function setServerHeaders(res: ServerResponse, f: Faults): void {
  res.setHeader('Server', f.server_version ? 'nginx/1.18.0' : 'vor');
  if (f.x_powered_by) res.setHeader('X-Powered-By', 'Express');
}

/** `httpUrl`: the plain-HTTP origin the mixed_content image comes from. */
export function setSecurityHeaders(res: ServerResponse, f: Faults, secure: boolean, httpUrl: string): void {
  setServerHeaders(res, f);
  if (secure && !f.no_hsts) {
    res.setHeader(
      'Strict-Transport-Security',
      `max-age=${f.short_hsts ? 300 : 31536000}${f.hsts_no_subdomains ? '' : '; includeSubDomains'}`,
    );
  }
  if (!f.no_csp) res.setHeader('Content-Security-Policy', contentSecurityPolicy(f, httpUrl));
  if (!f.no_nosniff) res.setHeader('X-Content-Type-Options', 'nosniff');
  if (!f.no_frame_options) res.setHeader('X-Frame-Options', 'DENY');
  if (!f.no_referrer_policy) res.setHeader('Referrer-Policy', f.unsafe_referrer_policy ? 'unsafe-url' : 'strict-origin-when-cross-origin');
  if (!f.no_permissions_policy) res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=(self)');
  if (!f.no_coop) res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
}

export interface WidgetOrigins {
  readonly plaidOrigin: string;
  readonly stripeOrigin: string;
}

/**
 * The CSP of a page that embeds the vendors' widgets: their SDK scripts, their iframes and their APIs
 * are allowed, from exactly their origins (and the form that leaves for Stripe's hosted Checkout).
 */
export function allowWidgets(res: ServerResponse, f: Faults, httpUrl: string, widgets: WidgetOrigins): void {
  if (!f.no_csp) res.setHeader('Content-Security-Policy', contentSecurityPolicy(f, httpUrl, widgets));
}

function contentSecurityPolicy(f: Faults, httpUrl: string, widgets?: WidgetOrigins): string {
  const vendors = widgets === undefined ? '' : ` ${widgets.plaidOrigin} ${widgets.stripeOrigin}`;
  const script = `script-src 'self'${vendors}${f.unsafe_csp ? " 'unsafe-inline' 'unsafe-eval'" : ''}`;
  const img = `img-src 'self' data:${f.mixed_content ? ` ${httpUrl}` : ''}`;
  return [
    "default-src 'self'",
    script,
    "style-src 'self'",
    img,
    `connect-src 'self'${vendors}`,
    ...(widgets === undefined ? [] : [`frame-src${vendors}`]),
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    `form-action 'self'${widgets === undefined ? '' : ` ${widgets.stripeOrigin}`}`,
    ...(f.no_frame_options ? [] : ["frame-ancestors 'none'"]),
  ].join('; ');
}
