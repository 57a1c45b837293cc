import { z } from 'zod';
import { MAX_SLOW_MS, type VendorFaults } from './vendors/index.js';

/** Every boolean fault switch of the reference target: name → what it breaks (one line). */
export const FAULTS = {
  no_hsts: 'no Strict-Transport-Security header',
  short_hsts: 'Strict-Transport-Security max-age=300',
  hsts_no_subdomains: 'Strict-Transport-Security without includeSubDomains',
  no_csp: 'no Content-Security-Policy header',
  unsafe_csp: "CSP script-src allows 'unsafe-inline' 'unsafe-eval'",
  no_nosniff: 'no X-Content-Type-Options: nosniff',
  no_frame_options: 'no X-Frame-Options and no CSP frame-ancestors',
  no_referrer_policy: 'no Referrer-Policy header',
  unsafe_referrer_policy: 'Referrer-Policy: unsafe-url',
  no_permissions_policy: 'no Permissions-Policy header',
  no_coop: 'no Cross-Origin-Opener-Policy header',
  x_powered_by: 'X-Powered-By: Express',
  server_version: 'Server: nginx/1.18.0',
  api_cacheable: 'API JSON answered without no-store (public, max-age=300)',
  cookie_no_secure: 'session cookie without Secure',
  cookie_no_httponly: 'session cookie without HttpOnly',
  cookie_samesite_none: 'session cookie SameSite=None',
  cookie_no_samesite: 'session cookie without SameSite',
  long_token_lifetime: 'session cookie Max-Age and JWT exp of 30 days',
  jwt_no_exp: 'access token JWT without exp',
  csrf_off: 'state-changing requests accepted with a foreign Origin and no CSRF token',
  cors_reflect_origin: 'any Origin echoed in Access-Control-Allow-Origin, with credentials',
  cors_null_origin: 'Origin null allowed, with credentials',
  cors_lookalike: 'origins that start with the allowed origin or end with its host:port are allowed',
  cors_wildcard_credentials: 'Access-Control-Allow-Origin * with Access-Control-Allow-Credentials true',
  cors_wildcard: 'Access-Control-Allow-Origin * (no credentials)',
  cors_block_allowed: "the allowed origin's requests and preflights get no Access-Control-Allow-Origin",
  ratelimit_off: 'login is not rate limited',
  ratelimit_no_headers: '429 without Retry-After and RateLimit-* headers',
  http_serves_content: 'the plain-HTTP port serves the pages (200) instead of redirecting',
  redirect_chain: 'plain HTTP redirects to another plain-HTTP URL before HTTPS (two hops)',
  expose_env_file: '/.env is served (DATABASE_URL, SECRET_KEY)',
  expose_git_config: '/.git/config and /.git/HEAD are served',
  secret_in_bundle: 'a served script contains a Stripe live secret key (sk_live_…)',
  test_keys_in_bundle: 'the front-end config uses Stripe pk_test_… and Plaid sandbox',
  serve_source_maps: 'scripts carry sourceMappingURL and the .map files are served',
  sql_error_leak: 'search with injection-shaped input answers 500 with a SQLite error and a stack trace',
  search_500: 'search with injection-shaped input answers 500 (generic, no leak)',
  api_errors: 'every third API request answers 500 (the real error ratio rises; pages and /health stay up)',
  health_503: '/health answers 503',
  health_dependency_down: '/health answers 200 but status fail and database down',
  health_hang: '/health never answers',
  static_no_store: 'static assets Cache-Control: no-store',
  static_short_cache: 'fingerprinted assets max-age=3600 without immutable',
  static_uncompressed: 'static assets ignore Accept-Encoding (never compressed)',
  no_cdn: 'no Via / X-Cache / Age on static assets',
  tls_legacy: 'TLS 1.0 and 1.1 accepted (@SECLEVEL=0)',
  weak_ciphers: 'non-forward-secret suites (RSA key exchange) accepted',
  no_tls13: 'TLS 1.3 not offered (max TLS 1.2)',
  cert_expired: 'leaf certificate expired',
  cert_expiring: 'leaf certificate expires in 5 days',
  cert_expiring_soon: 'leaf certificate expires in 15 days',
  cert_not_yet_valid: 'leaf certificate not valid yet',
  cert_self_signed: 'leaf certificate self-signed',
  cert_wrong_host: 'leaf certificate SAN only wrong.vor.invalid',
  cert_weak_key: 'leaf certificate RSA 1024',
  cert_incomplete_chain: 'intermediate CA certificate not sent',
  no_consent_banner: 'no cookie consent banner',
  analytics_before_consent: 'analytics script and _vor_analytics cookie before consent',
  oversized_image: 'a 2 MB image on the landing page',
  image_legacy_format: 'a PNG without width/height on the landing page',
  image_not_lazy: 'a below-the-fold image without loading=lazy',
  big_bundle: 'landing JavaScript > 400 KB compressed',
  broken_asset: 'landing references a same-origin asset that answers 404',
  dashboard_exception: 'uncaught exception in the dashboard page script',
  console_error: 'landing page logs console.error',
  mixed_content: 'landing loads an http:// image',
  slow_lcp: 'the LCP element renders after ~4.5 s',
  no_privacy_link: 'no privacy policy link on the landing page',
  no_terms_link: 'no terms of service link on the landing page',
  route_broken: 'one sitemap route (/about) answers 500',
  signup_broken: 'sign-up fails (500)',
  login_accepts_wrong_password: 'login accepts any password for an existing user',
  link_bank_broken: 'bank linking token exchange fails (500)',
  payment_broken: 'test-mode payment confirmation fails (500)',
  export_broken: 'data export returns an empty, non-JSON body',
  deletion_keeps_login: 'account deletion leaves login working',
  logout_keeps_session: 'logout does not end the server session',
  dashboard_empty: 'dashboard shows no accounts or transactions',
  plaid_link_unavailable: 'the Plaid Link iframe document answers 503 (the widget never loads)',
  plaid_credentials_rejected: 'Plaid Link rejects the sandbox credentials ("The credentials were not correct")',
  stripe_unavailable: 'the Stripe Elements field iframes and the hosted Checkout page answer 503',
  stripe_card_declined: 'Stripe declines every card (card_declined), even 4242 4242 4242 4242',
} as const;

export type BooleanFault = keyof typeof FAULTS;
export const BOOLEAN_FAULTS = Object.keys(FAULTS) as BooleanFault[];

/** Numeric faults: name → one-line description. */
export const NUMERIC_FAULTS = {
  latencyMs: 'fixed delay (ms) added to every response (except /__admin)',
  latencyJitterMs: 'uniform extra delay 0..N ms on every response',
  stallEvery: 'every Nth request stalls for stallMs (0 = off)',
  stallMs: 'how long a stalled request waits (ms)',
  errorRate: 'fraction 0..1 of requests answered 500 (except /__admin)',
  healthDelayMs: 'delay (ms) on /health only',
  widgets_slowMs: 'delay (ms) before every answer of the Plaid and Stripe origins (widgets slow to load)',
} as const;

export type NumericFault = keyof typeof NUMERIC_FAULTS;
export const NUMERIC_FAULT_NAMES = Object.keys(NUMERIC_FAULTS) as NumericFault[];

const numericShape = {
  latencyMs: z.number().int().min(0).max(600_000),
  latencyJitterMs: z.number().int().min(0).max(600_000),
  stallEvery: z.number().int().min(0).max(1_000_000),
  stallMs: z.number().int().min(0).max(600_000),
  errorRate: z.number().min(0).max(1),
  healthDelayMs: z.number().int().min(0).max(600_000),
  widgets_slowMs: z.number().int().min(0).max(MAX_SLOW_MS),
};

const booleanDefaults = Object.fromEntries(BOOLEAN_FAULTS.map((name) => [name, z.boolean().default(false)])) as {
  [K in BooleanFault]: z.ZodDefault<z.ZodBoolean>;
};
const booleanOptional = Object.fromEntries(BOOLEAN_FAULTS.map((name) => [name, z.boolean().optional()])) as {
  [K in BooleanFault]: z.ZodOptional<z.ZodBoolean>;
};

/** Full settings: every fault present (false / 0 when omitted). */
export const faultsSchema = z
  .object({
    ...booleanDefaults,
    latencyMs: numericShape.latencyMs.default(0),
    latencyJitterMs: numericShape.latencyJitterMs.default(0),
    stallEvery: numericShape.stallEvery.default(0),
    stallMs: numericShape.stallMs.default(0),
    errorRate: numericShape.errorRate.default(0),
    healthDelayMs: numericShape.healthDelayMs.default(0),
    widgets_slowMs: numericShape.widgets_slowMs.default(0),
  })
  .strict();

/** Every fault, with its value (false / 0 when off). */
export type Faults = z.output<typeof faultsSchema>;

/** Partial settings (unknown names rejected); only the keys given come out (no defaults filled in). */
export const partialFaultsSchema = z
  .object({
    ...booleanOptional,
    latencyMs: numericShape.latencyMs.optional(),
    latencyJitterMs: numericShape.latencyJitterMs.optional(),
    stallEvery: numericShape.stallEvery.optional(),
    stallMs: numericShape.stallMs.optional(),
    errorRate: numericShape.errorRate.optional(),
    healthDelayMs: numericShape.healthDelayMs.optional(),
    widgets_slowMs: numericShape.widgets_slowMs.optional(),
  })
  .strict();

export function defaultFaults(): Faults {
  return faultsSchema.parse({});
}

export class FaultListError extends Error {
  override readonly name = 'FaultListError';
}

/**
 * Parses `no_hsts,cors_reflect_origin,latencyMs=200` (commas or whitespace; `name=false` / `name=0` allowed).
 * Throws FaultListError naming the bad entry and the valid names.
 */
export function parseFaultList(list: string | undefined): Partial<Faults> {
  const out: Record<string, boolean | number> = {};
  if (list === undefined) return {};
  for (const raw of list.split(/[\s,]+/)) {
    const entry = raw.trim();
    if (entry === '') continue;
    const eq = entry.indexOf('=');
    const name = eq === -1 ? entry : entry.slice(0, eq);
    const value = eq === -1 ? undefined : entry.slice(eq + 1);
    if (name in FAULTS) {
      if (value === undefined || value === 'true' || value === '1') out[name] = true;
      else if (value === 'false' || value === '0') out[name] = false;
      else throw new FaultListError(`fault "${entry}": ${name} is a switch; write "${name}" or "${name}=false"`);
    } else if (name in NUMERIC_FAULTS) {
      const n = value === undefined ? Number.NaN : Number(value);
      if (!Number.isFinite(n)) throw new FaultListError(`fault "${entry}": ${name} needs a number, e.g. ${name}=200`);
      out[name] = n;
    } else {
      throw new FaultListError(
        `unknown fault "${name}"; valid: ${[...BOOLEAN_FAULTS, ...NUMERIC_FAULT_NAMES.map((n) => `${n}=N`)].join(', ')}`,
      );
    }
  }
  const parsed = partialFaultsSchema.safeParse(out);
  if (!parsed.success) {
    throw new FaultListError(
      `invalid fault list "${list}": ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return stripUndefined(parsed.data);
}

/** Applies settings: 'replace' starts from all-off, 'merge' from current. Throws on invalid input. */
export function applyFaults(current: Faults, settings: unknown, mode: 'replace' | 'merge'): Faults {
  const partial = partialFaultsSchema.parse(settings);
  const base = mode === 'replace' ? defaultFaults() : current;
  return faultsSchema.parse({ ...base, ...stripUndefined(partial) });
}

/** Names of the faults that are on (booleans true, numerics non-zero), e.g. for logs. */
export function activeFaults(f: Faults): string[] {
  const on: string[] = BOOLEAN_FAULTS.filter((n) => f[n]);
  for (const n of NUMERIC_FAULT_NAMES) if (f[n] !== 0) on.push(`${n}=${f[n]}`);
  return on;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** What the target's faults ask of the Plaid and Stripe stand-ins. */
export function vendorFaultsOf(f: Faults): VendorFaults {
  return {
    plaidUnavailable: f.plaid_link_unavailable,
    plaidCredentialsRejected: f.plaid_credentials_rejected,
    stripeUnavailable: f.stripe_unavailable,
    stripeDeclineAll: f.stripe_card_declined,
    slowMs: f.widgets_slowMs,
  };
}
