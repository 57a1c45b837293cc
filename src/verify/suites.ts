/**
 * The launch-day suites of the checklist's timeline, as data: which probe checks (globs over ids)
 * and which smoke tests (a Playwright --grep over tags) each one runs.
 */
export interface Suite {
  readonly description: string;
  readonly probeChecks: readonly string[];
  /** undefined: no browser run. */
  readonly smokeGrep?: string;
}

export const SUITES = {
  all: { description: 'everything: every probe, every flow and browser check', probeChecks: ['**'], smokeGrep: '' },
  security: {
    description: 'the T-24h security scan: TLS, headers, cookies, CORS, CSRF, rate limit, exposure',
    probeChecks: ['tls.**', 'http.https_redirect', 'headers.*', 'cookies.*', 'auth.*', 'csrf.*', 'cors.*', 'ratelimit.*', 'exposure.*'],
  },
  backend: {
    description:
      'after "Deploy backend": health, TLS, API headers, cookies, CORS, CSRF, rate limit, error leaks, the config\'s HTTP assertion checks, and the critical flows',
    probeChecks: [
      'health.*',
      'tls.**',
      'http.https_redirect',
      'headers.cache_control_sensitive',
      'cookies.*',
      'auth.*',
      'csrf.*',
      'cors.*',
      'ratelimit.*',
      'exposure.error_leak',
      'exposure.sensitive_files',
      // The config's HTTP assertion checks are API checks: they run after the backend deploys.
      'custom.*',
    ],
    smokeGrep: '@critical',
  },
  frontend: {
    description: 'after "Deploy frontend": headers, static assets, bundles, routes, assets, compliance and performance in the browser',
    probeChecks: ['headers.*', 'static.*', 'exposure.secrets_in_bundle', 'exposure.test_keys', 'exposure.source_maps'],
    smokeGrep: '@browser|@compliance|@perf',
  },
} as const satisfies Record<string, Suite>;

export type SuiteName = keyof typeof SUITES;
