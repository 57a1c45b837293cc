/**
 * What the automated checks of a checklist item prove, item by item, where they prove only part
 * of it. An item with checks that is not listed here is proven whole when its checks pass; an
 * item listed here stays "partial" until a person attests the rest.
 */
export interface PartialProof {
  readonly proven: string;
  readonly notProven: string;
}

export const PARTIAL_PROOF: Readonly<Record<string, PartialProof>> = {
  'Security: All secrets stored in environment variables (not in code)': {
    proven: 'no .env, .git or dumps in the web root; no secret in the served front-end bundles or source maps',
    notProven: 'server-side code, images and repositories free of secrets (scan them with gitleaks or similar)',
  },
  'Security: Rate limiting configured': {
    proven: 'the login (or --ratelimit-url) endpoint answers a burst with 429',
    notProven: 'limits on the other endpoints (sign-up, password reset, API)',
  },
  'Security: SQL injection prevention verified': {
    proven: 'the query endpoint leaks no SQL error or stack trace for hostile input',
    notProven: 'parameterised queries on every input (code review or a dedicated scanner)',
  },
  'Security: API keys rotated from development': {
    proven: 'no Stripe/Plaid test keys and no known secret patterns in the production bundles',
    notProven: 'server-side API keys rotated away from the development values',
  },
  'Infrastructure: Health checks configured': {
    proven: 'the health endpoint answers like a health endpoint',
    notProven: 'the load balancer or orchestrator polls it and takes failing instances out',
  },
  'Monitoring & Logging: Application monitoring (Sentry, DataDog, etc.)': {
    proven: "the error tracker's project accepts vor-watch's test event",
    notProven: 'the application itself reports its errors and traces there',
  },
  'Monitoring & Logging: Error tracking configured': {
    proven: "the error tracker's project accepts vor-watch's test event",
    notProven: 'the application itself reports its errors there',
  },
  'Monitoring & Logging: Uptime monitoring configured': {
    proven: "the monitor's /metrics is valid Prometheus exposition",
    notProven: 'a Prometheus server scrapes it and alerts reach someone',
  },
  'Monitoring & Logging: Alert rules defined': {
    proven: "the monitor's /metrics is valid, so the shipped rules can evaluate",
    notProven: 'the rules are loaded in Prometheus and routed by Alertmanager',
  },
  'Monitoring & Logging: Performance monitoring enabled': {
    proven: 'Core Web Vitals within budget in this run',
    notProven: 'continuous performance monitoring (RUM or APM) on real users',
  },
  'Compliance: GDPR compliance verified': {
    proven: 'a consent banner, and no tracking cookies or analytics before consent',
    notProven: 'lawful bases, processor agreements, records of processing, retention (a legal review)',
  },
  'Third-Party Integrations: Payment provider (Stripe) configured for production': {
    proven: 'no Stripe test keys in production bundles; a payment completes in the flow',
    notProven: 'the live-mode account, webhooks and payouts (the flow runs in test mode)',
  },
  'Third-Party Integrations: Plaid production credentials configured': {
    proven: 'no Plaid sandbox/development environment in production bundles; bank linking completes in the flow',
    notProven: 'production credentials accepted by Plaid (the flow links a sandbox institution)',
  },
  'Third-Party Integrations: Analytics configured (Google Analytics, Mixpanel, etc.)': {
    proven: 'no analytics before consent',
    notProven: 'analytics loads and records events after consent',
  },
  'Post-Deployment: Verify monitoring working': {
    proven: 'the error tracker accepts events and /metrics is valid',
    notProven: 'dashboards and alerts show this deploy',
  },
};
