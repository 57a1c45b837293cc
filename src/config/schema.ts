import { z } from 'zod';
import { TrafficConfigSchema, TriggerWindowsSchema } from '../alerting/traffic-config.js';
import { LoadConfigSchema } from './load-schema.js';
import { AppProfileSchema, DEFAULT_APP_PROFILE, DEFAULT_TEST_USERS, TestUsersSchema } from './profile.js';
import { ChecksSchema, overridesSchema, TargetChecksSchema } from '../custom/schema.js';

const protocolOf = (value: string): string | undefined => (URL.canParse(value) ? new URL(value).protocol : undefined);
/** Port 0 parses, but no site listens there: node would quietly connect to the scheme's default port instead. */
const notPortZero = [
  (value: string) => !URL.canParse(value) || new URL(value).port !== '0',
  {
    // The origin, not the value: a URL's user:password part never reaches a message.
    error: (issue: { input: unknown }) =>
      `${new URL(String(issue.input)).origin} has port 0, which no site listens on; give the real port, or none for the default (443 for https, 80 for http)`,
  },
] as const;

const httpsUrl = z
  .string()
  .url('must be an absolute URL such as https://app.example.com')
  .refine((value) => protocolOf(value) === 'https:', 'must be an https:// URL')
  .refine(...notPortZero);
const httpUrl = z
  .string()
  .url('must be an absolute URL such as http://app.example.com')
  .refine((value) => ['http:', 'https:'].includes(protocolOf(value) ?? ''), 'must be an http:// or https:// URL')
  .refine(...notPortZero);
const origin = z
  .string()
  .url('must be an origin such as https://app.example.com')
  .refine(
    (value) => URL.canParse(value) && new URL(value).origin === value.replace(/\/$/, ''),
    'must be an origin (scheme, host and port only, no path)',
  )
  .refine(...notPortZero);

/** Probe tuning. Names say what verdict they cause; units are in the names. */
export const ProbeOptionsSchema = z
  .object({
    timeoutMs: z.number().int().positive().max(120_000).default(10_000),
    /** A whole probe run gives up after this, whatever is still pending (error results). */
    deadlineMs: z.number().int().positive().max(600_000).default(60_000),
    /** A failing check is run again this many times before it counts. */
    retries: z.number().int().min(0).max(3).default(1),
    concurrency: z.number().int().min(1).max(32).default(6),
    maxBodyBytes: z.number().int().positive().max(50_000_000).default(5_000_000),
    /** 15552000 = 180 days, the checks.md minimum. */
    hstsMinMaxAgeSeconds: z.number().int().nonnegative().default(15_552_000),
    certFailDays: z.number().nonnegative().default(7),
    certWarnDays: z.number().nonnegative().default(21),
    tokenMaxLifetimeHours: z.number().positive().default(24),
    /** The rate-limit burst size; never unbounded (hard maximum 500). */
    burstRequests: z.number().int().min(1).max(500).default(60),
    healthPath: z.string().startsWith('/').default('/health'),
    healthTimeoutMs: z.number().int().positive().default(2_000),
    healthSlowMs: z.number().int().positive().default(1_000),
    preflightMethod: z
      .string()
      .regex(/^[A-Z]+$/, 'must be an upper-case HTTP method')
      .default('POST'),
    preflightHeaders: z.array(z.string()).default(['content-type']),
    staticFingerprintMinMaxAgeSeconds: z.number().int().nonnegative().default(2_592_000),
  })
  .strict();

/** Browser budgets (checks.md defaults). */
export const BudgetsSchema = z
  .object({
    bundleKb: z.number().positive().default(350),
    imageKb: z.number().positive().default(300),
    lcpFailMs: z.number().positive().default(4_000),
    lcpWarnMs: z.number().positive().default(2_500),
    clsFail: z.number().nonnegative().default(0.25),
    clsWarn: z.number().nonnegative().default(0.1),
  })
  .strict();

/**
 * `overrides: { 'headers.permissions_policy': off, 'perf.web_vitals': { lcpWarnMs: 2000, severity: medium } }`:
 * a parameter's value is checked by the same field of `budgets` / `probes` it replaces.
 */
const OverridesSchema = overridesSchema({ ...BudgetsSchema.shape, ...ProbeOptionsSchema.shape });

/**
 * One site to check. Only `baseUrl` is required; everything else is derived from it (checks.md, Definitions).
 *
 * @example
 * { name: 'production', baseUrl: 'https://app.vor.example', environment: 'production' }
 */
export const TargetSchema = z
  .object({
    name: z.string().min(1).optional(),
    baseUrl: httpsUrl,
    apiUrl: httpUrl.optional(),
    httpUrl: httpUrl.optional(),
    allowedOrigin: origin.optional(),
    environment: z.string().min(1).optional(),
    /** Production is also recognised by name (prod, production, prd, live); this says it explicitly. */
    production: z.boolean().optional(),
    /** Where the flows' test users come from (README "Point it at your app"). */
    users: TestUsersSchema.default(DEFAULT_TEST_USERS),
    loginUrl: httpUrl.optional(),
    rateLimitUrl: httpUrl.optional(),
    queryUrl: httpUrl.optional(),
    sessionCookie: z.string().min(1).optional(),
    caFile: z.string().min(1).optional(),
    /** API paths that may be cached publicly (exempt from headers.cache_control_sensitive). */
    publicApiPaths: z.array(z.string().startsWith('/')).default([]),
    /** Extra routes for routes.reachable, besides the sitemap. */
    routes: z.array(z.string().startsWith('/')).default([]),
    /** This target's own HTTP assertion checks (README "Checks as code"); they replace top-level ones of the same id. */
    checks: TargetChecksSchema.optional(),
    /** Checks switched off or changed for this target; they replace top-level overrides of the same check. */
    overrides: OverridesSchema.optional(),
  })
  .strict();

/** The browser run. */
export const SmokeOptionsSchema = z
  .object({
    /** The whole browser run stops after this; finished tests keep their results, unfinished ones become error (budget_exceeded). */
    budgetMs: z.number().int().positive().max(3_600_000).default(180_000),
    /** One test (flow or browser check) gives up after this. */
    testTimeoutMs: z.number().int().positive().max(600_000).default(30_000),
  })
  .strict();

export const AttestationSchema = z
  .object({
    item: z.string().min(1),
    by: z.string().min(1),
    at: z.string().min(1),
    link: z.string().url().optional(),
    note: z.string().optional(),
  })
  .strict();

export const ConfigFileSchema = z
  .object({
    targets: z.array(TargetSchema).default([]),
    probes: ProbeOptionsSchema.default(ProbeOptionsSchema.parse({})),
    budgets: BudgetsSchema.default(BudgetsSchema.parse({})),
    /** What the app looks like: pages, elements, API shapes (README "Point it at your app"). */
    app: AppProfileSchema.default(DEFAULT_APP_PROFILE),
    smoke: SmokeOptionsSchema.default(SmokeOptionsSchema.parse({})),
    /** Path (relative to the config file) of the checklist attestations file, or inline attestations. */
    checklist: z.string().optional(),
    attestations: z.array(AttestationSchema).default([]),
    /** Manual checklist items nobody attested make `verify` NO-GO. */
    requireAttestations: z.boolean().default(false),
    reportsDir: z.string().default('reports'),
    /** How many run folders to keep in reportsDir (the oldest go first); 0 keeps every run. */
    keepReports: z.number().int().min(0).max(100_000).default(50),
    /** The service's own traffic from Prometheus, for gate and monitor (README "Real traffic"). */
    prometheus: TrafficConfigSchema.optional(),
    /** Rollback trigger windows (thresholds are fixed by checks.md). */
    triggers: TriggerWindowsSchema.optional(),
    /** The team's own load scenarios and k6-syntax thresholds (README "Checks as code"). */
    load: LoadConfigSchema.optional(),
    /** Checks as code (README "Checks as code"): HTTP assertion checks, the team's Playwright specs folder. */
    checks: ChecksSchema.default({ http: [] }),
    /** Checks switched off or changed for every target (a target's own overrides win per check). */
    overrides: OverridesSchema.optional(),
  })
  .strict();

export const ChecklistFileSchema = z
  .object({
    attestations: z.array(AttestationSchema).default([]),
  })
  .strict();

export type TargetConfig = z.infer<typeof TargetSchema>;
export type ProbeOptions = z.infer<typeof ProbeOptionsSchema>;
export type Budgets = z.infer<typeof BudgetsSchema>;
export type SmokeOptions = z.infer<typeof SmokeOptionsSchema>;
export type ConfigFile = z.infer<typeof ConfigFileSchema>;
export const DEFAULT_PROBE_OPTIONS: ProbeOptions = ProbeOptionsSchema.parse({});
export const DEFAULT_BUDGETS: Budgets = BudgetsSchema.parse({});
