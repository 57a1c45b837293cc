import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { BudgetsSchema } from '../src/config/schema.js';
import { AppProfileSchema, DEFAULT_APP_PROFILE, DEFAULT_TEST_USERS, TestUsersSchema } from '../src/config/profile.js';
import { configError } from '../src/config/errors.js';
import { SMOKE_CHECK_IDS, type SmokeCheckId } from './checks.js';
import { pickChromium } from './chromium.js';

export type TraceMode = 'on-first-retry' | 'retain-on-failure' | 'on';

/**
 * Which tests are traced when the caller does not say: with retries, a failing test is traced on its
 * retry only (a trace of every test cost about a quarter of the suite's time); without retries there
 * is no retry to trace, so every test is recorded and failures' traces kept.
 */
export const traceModeFor = (retries: number, requested?: TraceMode): TraceMode =>
  requested ?? (retries > 0 ? 'on-first-retry' : 'retain-on-failure');

/** The environment variable naming the JSON file that tells playwright.config.ts what to run against. */
export const SMOKE_RUN_ENV = 'VOR_SMOKE_RUN';

/**
 * Everything the Playwright child needs, written by runSmoke to a file. Never a secret:
 * credentials travel only as VOR_TEST_USER_EMAIL / VOR_TEST_USER_PASSWORD in the child's environment.
 */
export const SmokeRunSchema = z
  .object({
    baseUrl: z.string().url(),
    apiUrl: z.string().url(),
    loginUrl: z.string().url(),
    environment: z.string().default('production'),
    production: z.boolean().default(true),
    /** What the app looks like, and where test users come from (the reference target's by default). */
    app: AppProfileSchema.default(DEFAULT_APP_PROFILE),
    users: TestUsersSchema.default(DEFAULT_TEST_USERS),
    /** Absolute: an authenticated read that a signed-out or deleted session must not get data from. */
    authenticatedReadUrl: z.string().url().optional(),
    /** Where a users.throwaway hook module path is resolved from (the config file's folder). */
    configDir: z.string().default(process.cwd()),
    /** The child appends secrets it creates (throwaway users' passwords) here, so the parent can scrub them. */
    secretsFile: z.string().optional(),
    routes: z.array(z.string()).default([]),
    sessionCookie: z.string().optional(),
    /** The browser trusts no CA file; with one configured it ignores certificate errors (TLS is the tls.* probes' job). */
    ignoreHttpsErrors: z.boolean().default(false),
    budgets: BudgetsSchema.default(BudgetsSchema.parse({})),
    outputDir: z.string(),
    resultsFile: z.string(),
    reportDir: z.string(),
    authFile: z.string(),
    chromium: z.object({ executablePath: z.string().optional(), args: z.array(z.string()) }),
    video: z.boolean().default(false),
    /**
     * 'on-first-retry' (the default with retries): a failing test is traced on its retry only, so a passing
     * run records no trace at all (recording one per test cost more CPU than the tests themselves).
     * 'retain-on-failure' (the default without retries): every test is recorded, failures' kept.
     * 'on' keeps every trace (debugging, and the secret-leak test).
     */
    trace: z.enum(['on-first-retry', 'retain-on-failure', 'on']).default('retain-on-failure'),
    retries: z.number().int().min(0).max(3).default(1),
    workers: z.number().int().min(1).max(8).default(2),
    testTimeoutMs: z.number().int().positive().default(30_000),
    /** The team's own specs (checks.dir / --checks): see smoke/team-checks.ts. */
    teamChecks: z
      .object({
        dir: z.string(),
        /** Maps `vor-watch/smoke` to this package's entry point, wherever the folder is. */
        tsconfig: z.string(),
        /** Spec files that do not load. */
        ignore: z.array(z.string()).default([]),
        /** Built-in ids the team's specs answer for. */
        replaced: z.array(z.enum(SMOKE_CHECK_IDS as [SmokeCheckId, ...SmokeCheckId[]])).default([]),
        /** The listing before the run sees every test, also those that declare no check (to report them). */
        listing: z.boolean().default(false),
      })
      .strict()
      .optional(),
  })
  .strict();

export type SmokeRun = z.infer<typeof SmokeRunSchema>;

export function readSmokeRun(env: NodeJS.ProcessEnv): SmokeRun {
  const file = env[SMOKE_RUN_ENV];
  if (file !== undefined && file !== '') {
    const parsed = SmokeRunSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success) throw configError(file, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    return parsed.data;
  }
  return defaultSmokeRun(env);
}

/** Running `npx playwright test` by hand: VOR_BASE_URL (and optionally VOR_API_URL, VOR_CA_FILE) say where. */
function defaultSmokeRun(env: NodeJS.ProcessEnv): SmokeRun {
  const baseUrl = env.VOR_BASE_URL?.replace(/\/+$/, '');
  if (baseUrl === undefined || baseUrl === '' || !URL.canParse(baseUrl)) {
    throw configError('VOR_BASE_URL', 'set it to the https:// URL to test, or run `vor-watch smoke` (which starts the embedded target)');
  }
  const apiUrl = env.VOR_API_URL?.replace(/\/+$/, '') ?? `${baseUrl}/api`;
  const outputDir = path.resolve('reports', 'smoke-manual');
  return SmokeRunSchema.parse({
    baseUrl,
    apiUrl,
    loginUrl: env.VOR_LOGIN_URL ?? `${apiUrl}/auth/login`,
    ignoreHttpsErrors: env.VOR_CA_FILE !== undefined && env.VOR_CA_FILE !== '',
    outputDir: path.join(outputDir, 'test-results'),
    resultsFile: path.join(outputDir, 'smoke-results.json'),
    reportDir: path.join(outputDir, 'playwright'),
    authFile: path.join(outputDir, '.auth', 'test-user.json'),
    chromium: chromiumOf(env),
  });
}

function chromiumOf(env: NodeJS.ProcessEnv): SmokeRun['chromium'] {
  const choice = pickChromium(env);
  return { ...(choice.executablePath === undefined ? {} : { executablePath: choice.executablePath }), args: [...choice.args] };
}
