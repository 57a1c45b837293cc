// Long on purpose: one data table, an entry per check id of checks.md; splitting it would scatter the contract.
import type { Severity } from './result.js';

/**
 * One entry per check id of checks.md. Checklist strings are "Section: item" exactly as in
 * production-checklist.md, so the report can place each result under its item.
 *
 * @example
 * 'headers.hsts': { title: 'Strict-Transport-Security', area: 'tls', severity: 'high',
 *   checklist: ['Security: HTTPS configured for all endpoints'], remediation: 'Send …' }
 */
export interface CheckSpec {
  readonly title: string;
  readonly area:
    | 'tls'
    | 'headers'
    | 'cookies'
    | 'cors'
    | 'ratelimit'
    | 'exposure'
    | 'health'
    | 'static'
    | 'browser'
    | 'flow'
    | 'monitoring'
    | 'load'
    | 'rollback'
    | 'custom';
  readonly severity: Severity;
  readonly checklist: readonly string[];
  readonly remediation: string;
}

const HTTPS = 'Security: HTTPS configured for all endpoints';
const SSL = 'Infrastructure: SSL certificates installed';
const XSS = 'Security: XSS protection headers configured';
const HELMET = 'Security: Security headers configured (Helmet.js)';
const TOKENS = 'Security: Authentication tokens have appropriate expiration';
const CSRF = 'Security: CSRF protection enabled';
const CORS = 'Security: CORS properly configured';
const SECRETS = 'Security: All secrets stored in environment variables (not in code)';
const KEYS_ROTATED = 'Security: API keys rotated from development';
const SQLI = 'Security: SQL injection prevention verified';
const STRIPE = 'Third-Party Integrations: Payment provider (Stripe) configured for production';
const PLAID = 'Third-Party Integrations: Plaid production credentials configured';
const HEALTH = 'Infrastructure: Health checks configured';
const VERIFY_HEALTH = 'Backend Deployment: Verify health endpoints';
const CDN = 'Infrastructure: CDN configured for static assets';
const CACHING = 'Performance: Caching strategies implemented';
const ROUTES = 'Frontend Deployment: Verify all routes working';
const ASSETS = 'Frontend Deployment: Check asset loading';
const FLOWS = 'Post-Deployment: Test critical user flows';
const LOAD = 'Performance: Load testing completed';
const BENCH = 'Performance: Performance benchmarks documented';
const SMOKE = 'Post-Deployment: Run smoke tests';

export const CATALOGUE = {
  'tls.certificate.validity': {
    title: 'Certificate validity dates',
    area: 'tls',
    severity: 'critical',
    checklist: [SSL],
    remediation: 'Renew the certificate (automate renewal, e.g. ACME) well before it expires; check every certificate on the served chain.',
  },
  'tls.certificate.trust': {
    title: 'Certificate chain trust',
    area: 'tls',
    severity: 'critical',
    checklist: [SSL],
    remediation: 'Serve a certificate from a trusted CA and include every intermediate certificate in the served chain.',
  },
  'tls.certificate.hostname': {
    title: 'Certificate host name',
    area: 'tls',
    severity: 'critical',
    checklist: [SSL],
    remediation: 'Issue the certificate with a subjectAltName covering the exact host name clients use.',
  },
  'tls.protocols': {
    title: 'TLS protocol versions',
    area: 'tls',
    severity: 'high',
    checklist: [HTTPS],
    remediation: 'Disable TLS 1.0 and 1.1; offer TLS 1.2 and 1.3.',
  },
  'tls.ciphers': {
    title: 'TLS cipher suites',
    area: 'tls',
    severity: 'high',
    checklist: [HTTPS],
    remediation: 'Accept only ECDHE/DHE suites with AEAD ciphers of 128 bits or more.',
  },
  'tls.key': {
    title: 'Certificate key strength',
    area: 'tls',
    severity: 'high',
    checklist: [SSL],
    remediation: 'Use an RSA key of at least 2048 bits or an EC key of at least 256 bits.',
  },
  'http.https_redirect': {
    title: 'HTTP to HTTPS redirect',
    area: 'tls',
    severity: 'high',
    checklist: [HTTPS],
    remediation: 'Answer every plain-HTTP request with a single 301/308 redirect straight to the HTTPS URL on the same host.',
  },
  'headers.hsts': {
    title: 'Strict-Transport-Security',
    area: 'tls',
    severity: 'high',
    checklist: [HTTPS],
    remediation: 'Send Strict-Transport-Security: max-age=31536000; includeSubDomains on every HTTPS response.',
  },
  'headers.csp': {
    title: 'Content-Security-Policy',
    area: 'headers',
    severity: 'high',
    checklist: [XSS, HELMET],
    remediation:
      "Send a Content-Security-Policy whose script-src avoids 'unsafe-inline' (use nonces or hashes), 'unsafe-eval', wildcards, http: and data:.",
  },
  'headers.x_content_type_options': {
    title: 'X-Content-Type-Options',
    area: 'headers',
    severity: 'medium',
    checklist: [XSS, HELMET],
    remediation: 'Send X-Content-Type-Options: nosniff on every response.',
  },
  'headers.frame_options': {
    title: 'Clickjacking protection',
    area: 'headers',
    severity: 'medium',
    checklist: [XSS, HELMET],
    remediation: "Send Content-Security-Policy frame-ancestors 'none' (or X-Frame-Options: DENY).",
  },
  'headers.referrer_policy': {
    title: 'Referrer-Policy',
    area: 'headers',
    severity: 'low',
    checklist: [HELMET],
    remediation: 'Send Referrer-Policy: strict-origin-when-cross-origin (or stricter).',
  },
  'headers.permissions_policy': {
    title: 'Permissions-Policy',
    area: 'headers',
    severity: 'low',
    checklist: [HELMET],
    remediation: 'Send a Permissions-Policy that disables features the app does not use (camera=(), microphone=(), geolocation=()).',
  },
  'headers.cross_origin_opener_policy': {
    title: 'Cross-Origin-Opener-Policy',
    area: 'headers',
    severity: 'low',
    checklist: [HELMET],
    remediation: 'Send Cross-Origin-Opener-Policy: same-origin.',
  },
  'headers.x_powered_by': {
    title: 'X-Powered-By disclosure',
    area: 'headers',
    severity: 'medium',
    checklist: [HELMET],
    remediation: "Remove X-Powered-By (Express: app.disable('x-powered-by'); Helmet does it).",
  },
  'headers.server_version': {
    title: 'Server version disclosure',
    area: 'headers',
    severity: 'low',
    checklist: [HELMET],
    remediation: 'Stop the Server header from naming a version (nginx: server_tokens off).',
  },
  'headers.cache_control_sensitive': {
    title: 'No caching of API data',
    area: 'headers',
    severity: 'high',
    checklist: [HELMET, CACHING],
    remediation: 'Send Cache-Control: no-store on every API response that carries user data.',
  },
  'cookies.secure': {
    title: 'Cookies marked Secure',
    area: 'cookies',
    severity: 'high',
    checklist: [HTTPS, TOKENS],
    remediation: 'Set the Secure attribute on every cookie set over HTTPS.',
  },
  'cookies.httponly': {
    title: 'Session cookie HttpOnly',
    area: 'cookies',
    severity: 'high',
    checklist: [TOKENS, XSS],
    remediation: 'Set HttpOnly on session cookies so scripts cannot read them.',
  },
  'cookies.samesite': {
    title: 'Session cookie SameSite',
    area: 'cookies',
    severity: 'medium',
    checklist: [CSRF],
    remediation: 'Set SameSite=Lax (or Strict) on session cookies.',
  },
  'auth.token_lifetime': {
    title: 'Session and token lifetime',
    area: 'cookies',
    severity: 'high',
    checklist: [TOKENS],
    remediation: 'Limit session cookies and access tokens to the configured maximum lifetime (default 24 h) and always set a JWT exp.',
  },
  'csrf.protection': {
    title: 'CSRF protection',
    area: 'cookies',
    severity: 'critical',
    checklist: [CSRF],
    remediation: 'Reject state-changing requests with a foreign Origin or without a valid CSRF token.',
  },
  'cors.origin_reflection': {
    title: 'CORS origin reflection',
    area: 'cors',
    severity: 'high',
    checklist: [CORS],
    remediation: 'Allow only an explicit list of origins; never echo the request Origin.',
  },
  'cors.null_origin': {
    title: 'CORS null origin',
    area: 'cors',
    severity: 'high',
    checklist: [CORS],
    remediation: 'Never allow the origin "null".',
  },
  'cors.origin_validation': {
    title: 'CORS look-alike origins',
    area: 'cors',
    severity: 'high',
    checklist: [CORS],
    remediation: 'Compare origins for exact equality, not with prefix, suffix or substring matches.',
  },
  'cors.wildcard_credentials': {
    title: 'CORS wildcard with credentials',
    area: 'cors',
    severity: 'critical',
    checklist: [CORS],
    remediation: 'Do not combine Access-Control-Allow-Origin: * with credentials; list the allowed origins.',
  },
  'cors.allowed_origin': {
    title: 'CORS for the front end',
    area: 'cors',
    severity: 'high',
    checklist: [CORS],
    remediation: "Answer the front end's preflight with 2xx, its origin, the method and the header it needs.",
  },
  'ratelimit.enforced': {
    title: 'Rate limiting',
    area: 'ratelimit',
    severity: 'high',
    checklist: ['Security: Rate limiting configured'],
    remediation: 'Rate-limit authentication endpoints; answer 429 with Retry-After and RateLimit-* headers.',
  },
  'exposure.sensitive_files': {
    title: 'Sensitive files exposed',
    area: 'exposure',
    severity: 'critical',
    checklist: [SECRETS],
    remediation: 'Never deploy .env, .git or dumps to the web root; deny dot-files at the web server.',
  },
  'exposure.secrets_in_bundle': {
    title: 'Secrets in front-end bundles',
    area: 'exposure',
    severity: 'critical',
    checklist: [SECRETS, KEYS_ROTATED],
    remediation: 'Remove the secret from the bundle, rotate it now, and keep server-side secrets in the environment.',
  },
  'exposure.test_keys': {
    title: 'Test keys in production',
    area: 'exposure',
    severity: 'critical',
    checklist: [KEYS_ROTATED, STRIPE, PLAID],
    remediation: 'Build the production front end with live Stripe keys and the Plaid production environment.',
  },
  'exposure.source_maps': {
    title: 'Public source maps',
    area: 'exposure',
    severity: 'low',
    checklist: [SECRETS],
    remediation: 'Do not serve production source maps publicly (upload them to the error tracker instead).',
  },
  'exposure.error_leak': {
    title: 'Error and database leaks',
    area: 'exposure',
    severity: 'high',
    checklist: [SQLI],
    remediation: 'Validate input, use parameterised queries, and answer errors with a generic message (no stack, no SQL).',
  },
  'health.endpoint': {
    title: 'Health endpoint',
    area: 'health',
    severity: 'critical',
    checklist: [HEALTH, VERIFY_HEALTH],
    remediation: 'Serve a fast /health that answers 200 with the status of the service and its dependencies.',
  },
  'static.cache_headers': {
    title: 'Static asset caching',
    area: 'static',
    severity: 'medium',
    checklist: [CACHING],
    remediation: 'Serve fingerprinted assets with Cache-Control: public, max-age=31536000, immutable.',
  },
  'static.compression': {
    title: 'Static asset compression',
    area: 'static',
    severity: 'medium',
    checklist: [CACHING, 'Performance: Bundle size optimized'],
    remediation: 'Compress text assets with brotli or gzip when the client accepts it.',
  },
  'static.cdn': {
    title: 'CDN in front of assets',
    area: 'static',
    severity: 'info',
    checklist: [CDN],
    remediation: 'Serve static assets through a CDN.',
  },
  'perf.bundle_size': {
    title: 'JavaScript bundle size',
    area: 'browser',
    severity: 'medium',
    checklist: ['Performance: Bundle size optimized'],
    remediation: 'Split code, remove unused dependencies, and keep landing-page JS within budget.',
  },
  'perf.images': {
    title: 'Image optimisation',
    area: 'browser',
    severity: 'medium',
    checklist: ['Performance: Images optimized'],
    remediation: 'Serve images as WebP/AVIF, resized to their display size, with width and height attributes.',
  },
  'perf.lazy_loading': {
    title: 'Lazy loading',
    area: 'browser',
    severity: 'low',
    checklist: ['Performance: Lazy loading implemented'],
    remediation: 'Add loading="lazy" to images below the fold.',
  },
  'perf.web_vitals': {
    title: 'Core Web Vitals',
    area: 'browser',
    severity: 'medium',
    checklist: ['Monitoring & Logging: Performance monitoring enabled', SMOKE],
    remediation: 'Render the largest element early (preload it, avoid render-blocking work) and reserve space to avoid layout shift.',
  },
  'page.console_errors': {
    title: 'Console errors',
    area: 'browser',
    severity: 'high',
    checklist: [SMOKE, ASSETS],
    remediation: 'Fix the script error shown in the evidence.',
  },
  'page.broken_assets': {
    title: 'Broken assets',
    area: 'browser',
    severity: 'high',
    checklist: [ASSETS],
    remediation: 'Deploy every asset the page references (check the build output and CDN upload).',
  },
  'page.mixed_content': {
    title: 'Mixed content',
    area: 'browser',
    severity: 'high',
    checklist: [HTTPS],
    remediation: 'Load every subresource over HTTPS.',
  },
  'routes.reachable': {
    title: 'Routes reachable',
    area: 'browser',
    severity: 'high',
    checklist: [ROUTES],
    remediation: 'Fix the routes that do not answer 2xx or do not render.',
  },
  'compliance.privacy_policy': {
    title: 'Privacy policy',
    area: 'browser',
    severity: 'high',
    checklist: ['Compliance: Privacy policy published'],
    remediation: 'Link a reachable privacy policy from the landing page footer.',
  },
  'compliance.terms': {
    title: 'Terms of service',
    area: 'browser',
    severity: 'high',
    checklist: ['Compliance: Terms of service published'],
    remediation: 'Link reachable terms of service from the landing page footer.',
  },
  'compliance.cookie_consent': {
    title: 'Cookie consent banner',
    area: 'browser',
    severity: 'high',
    checklist: ['Compliance: Cookie consent implemented', 'Compliance: GDPR compliance verified'],
    remediation: 'Show a consent banner to first-time visitors.',
  },
  'compliance.cookies_before_consent': {
    title: 'No tracking before consent',
    area: 'browser',
    severity: 'high',
    checklist: [
      'Compliance: Cookie consent implemented',
      'Compliance: GDPR compliance verified',
      'Third-Party Integrations: Analytics configured (Google Analytics, Mixpanel, etc.)',
    ],
    remediation: 'Load analytics and set non-essential cookies only after the visitor consents.',
  },
  'flow.signup': {
    title: 'Sign-up flow',
    area: 'flow',
    severity: 'critical',
    checklist: [FLOWS],
    remediation: 'Fix sign-up: a new user must be able to create an account and land signed in.',
  },
  'flow.login': {
    title: 'Login flow',
    area: 'flow',
    severity: 'critical',
    checklist: [FLOWS],
    remediation: 'Fix login: the test user must sign in and a wrong password must be refused.',
  },
  'flow.dashboard': {
    title: 'Dashboard flow',
    area: 'flow',
    severity: 'critical',
    checklist: [FLOWS],
    remediation: "Fix the dashboard: it must show the user's accounts and transactions.",
  },
  'flow.link_bank': {
    title: 'Bank linking flow (Plaid)',
    area: 'flow',
    severity: 'critical',
    checklist: [FLOWS, PLAID],
    remediation: 'Fix Plaid Link: the link must complete and the new account must appear.',
  },
  'flow.payment': {
    title: 'Payment flow (Stripe)',
    area: 'flow',
    severity: 'critical',
    checklist: [FLOWS, STRIPE],
    remediation: 'Fix payments: a test payment must succeed and show on the billing page.',
  },
  'flow.data_export': {
    title: 'Data export flow',
    area: 'flow',
    severity: 'high',
    checklist: [FLOWS, 'Compliance: User data export functionality working'],
    remediation: "Fix data export: it must download the user's profile and transactions as JSON.",
  },
  'flow.account_deletion': {
    title: 'Account deletion flow',
    area: 'flow',
    severity: 'high',
    checklist: [FLOWS, 'Compliance: Account deletion functionality working'],
    remediation: 'Fix account deletion: afterwards the user must not be able to log in and export must show nothing.',
  },
  'flow.logout': {
    title: 'Logout flow',
    area: 'flow',
    severity: 'high',
    checklist: [FLOWS, TOKENS],
    remediation: 'Invalidate the session on the server at logout.',
  },
  'monitoring.error_tracking': {
    title: 'Error tracking',
    area: 'monitoring',
    severity: 'high',
    checklist: [
      'Monitoring & Logging: Error tracking configured',
      'Monitoring & Logging: Application monitoring (Sentry, DataDog, etc.)',
      'Post-Deployment: Verify monitoring working',
    ],
    remediation: 'Check the Sentry DSN and that the project accepts events.',
  },
  'monitoring.metrics': {
    title: 'Metrics exposition',
    area: 'monitoring',
    severity: 'medium',
    checklist: [
      'Monitoring & Logging: Uptime monitoring configured',
      'Monitoring & Logging: Alert rules defined',
      'Post-Deployment: Verify monitoring working',
    ],
    remediation: "Fix the monitor's /metrics so that Prometheus can parse it.",
  },
  // Additions beyond checks.md (allowed by its preamble): one result per load threshold.
  'load.latency_p95': {
    title: 'Load: p95 latency',
    area: 'load',
    severity: 'high',
    checklist: [LOAD, BENCH],
    remediation: 'Find the slow endpoint in the benchmark report (latency over time) and fix it before launch.',
  },
  'load.latency_p99': {
    title: 'Load: p99 latency',
    area: 'load',
    severity: 'medium',
    checklist: [LOAD, BENCH],
    remediation: 'Look for stalls (GC pauses, pool exhaustion, locks) in the latency-over-time chart.',
  },
  'load.error_rate': {
    title: 'Load: error rate',
    area: 'load',
    severity: 'high',
    checklist: [LOAD],
    remediation: 'Fix the errors seen under load (status codes in the evidence) before launch.',
  },
  'load.throughput': {
    title: 'Load: throughput',
    area: 'load',
    severity: 'medium',
    checklist: [LOAD, BENCH],
    remediation: 'Scale out or optimise until the target sustains the required request rate.',
  },
  // The rollback triggers of checks.md, as results of a `gate` run (the monitor reports them as metrics).
  'rollback.error_rate': {
    title: 'Rollback trigger: error rate > 5 %',
    area: 'rollback',
    severity: 'critical',
    checklist: ['Automated Rollback Triggers: Error rate > 5%'],
    remediation: 'Roll back the deploy, then find the failing requests (status codes in the evidence, Sentry events).',
  },
  'rollback.slow_responses': {
    title: 'Rollback trigger: p95 > 3 s for 5 minutes',
    area: 'rollback',
    severity: 'critical',
    checklist: ['Automated Rollback Triggers: Response time > 3s for 5 minutes'],
    remediation: 'Roll back the deploy, then look for the slow dependency (database, Plaid, Stripe) or saturation.',
  },
  'rollback.health_failures': {
    title: 'Rollback trigger: more than 3 consecutive health failures',
    area: 'rollback',
    severity: 'critical',
    checklist: ['Automated Rollback Triggers: Health check failures > 3 consecutive'],
    remediation: "Roll back the deploy; the health endpoint's body names the dependency that is down.",
  },
} as const satisfies Record<string, CheckSpec>;

/** An id of checks.md: the built-in catalogue. */
export type BuiltinCheckId = keyof typeof CATALOGUE;
/** A team's own check (a Playwright spec, an HTTP assertion in config): `custom.<name>`. */
export type CustomCheckId = `custom.${string}`;
export type CheckId = BuiltinCheckId | CustomCheckId;

export const CHECK_IDS = Object.keys(CATALOGUE) as BuiltinCheckId[];

export const CUSTOM_ID_PATTERN = /^custom\.[a-z0-9][a-z0-9_.-]*$/;

export const isBuiltinCheckId = (id: string): id is BuiltinCheckId => Object.hasOwn(CATALOGUE, id);
export const isCustomCheckId = (id: string): id is CustomCheckId => CUSTOM_ID_PATTERN.test(id);

/**
 * The catalogue entry of a built-in id; for a custom id, a neutral entry whose severity and checklist
 * items come from the check's own declaration (carried on its finding).
 */
export function specOf(id: CheckId): CheckSpec {
  if (isBuiltinCheckId(id)) return CATALOGUE[id];
  return {
    title: id.slice('custom.'.length),
    area: 'custom',
    severity: 'high',
    checklist: [],
    remediation: 'See the check’s own definition.',
  };
}
