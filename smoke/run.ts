import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Budgets } from '../src/config/schema.js';
import { PROJECT_ROOT } from '../src/project-root.js';
import type { Redactor } from '../src/core/redact.js';
import type { CheckResult } from '../src/core/result.js';
import type { Target } from '../src/core/target.js';
import { pickChromium } from './chromium.js';
import { DEFAULT_SCRUB_LIMITS, type ScrubReport } from './evidence/scrub-artifacts.js';
import { runPlaywright, type ChildExit } from './playwright-child.js';
import { SMOKE_PROGRESS_ENV, tailSmokeProgress, type SmokeTestEvent } from './progress-events.js';
import { runLimitsFrom, type RunLimits } from './run-limits.js';
import {
  crashResults,
  expectedIds,
  finalizeFile,
  readResults,
  secureArtifacts,
  withDeclarations,
  withDroppedArtifacts,
  withSurvivorsNoted,
  withTeamFindings,
  withUnfinished,
} from './run-results.js';
import { SMOKE_RUN_ENV, traceModeFor, type SmokeRun, type TraceMode } from './run-config.js';
import { prepareTeamChecks } from './team-listing.js';
import { transformCacheDir } from './transform-cache.js';

export { secureArtifacts, withUnfinished } from './run-results.js';
export type { ChildExit } from './playwright-child.js';

const ROOT = fileURLToPath(PROJECT_ROOT);
const CONFIG = path.join(ROOT, 'playwright.config.ts');
/** V8's heap per renderer: a page that parses a decompression bomb runs out of heap instead of taking the machine's memory. */
export const BROWSER_HEAP_FLAG = '--js-flags=--max-old-space-size=512';

export interface SmokeOptions {
  readonly target: Target;
  readonly budgets: Budgets;
  /** A Playwright --grep: a tag such as @critical, or a regular expression over titles and tags. */
  readonly grep?: string;
  /** The run's report folder: the Playwright report goes to <outputDir>/playwright. */
  readonly outputDir: string;
  readonly redactor: Redactor;
  readonly env: NodeJS.ProcessEnv;
  /** The whole Playwright run is killed after this (default 180 s); finished tests keep their results. */
  readonly timeoutMs?: number;
  /** One test gives up after this (default 30 s). */
  readonly testTimeoutMs?: number;
  readonly workers?: number;
  readonly retries?: number;
  /** Which tests are traced (default: 'on-first-retry' with retries, 'retain-on-failure' without; see run-config.ts). */
  readonly trace?: TraceMode;
  /** Playwright's own progress lines (the list reporter), already redacted. */
  readonly onOutput?: (text: string) => void;
  /** Each browser test as it finishes (or fails and will be retried), streamed from the runner; title redacted. */
  readonly onTest?: (event: SmokeTestEvent) => void;
  readonly signal?: AbortSignal;
  /** Every secret of the session (config.secrets and the embedded target's): scrubbed out of the artifacts, since the child inherits them all. */
  readonly secrets?: readonly string[];
  /** The team's own specs (checks.dir / --checks): run beside the built-in ones, README "Checks as code". */
  readonly checksDir?: string;
  /** Memory and disk the run may take (default: VOR_SMOKE_MAX_RSS_MB / VOR_SMOKE_MAX_ARTIFACT_MB, else 3 GB and 1 GB). */
  readonly limits?: RunLimits;
}

export interface SmokeArtifact {
  readonly id: string;
  readonly screenshots: readonly string[];
  readonly traces: readonly string[];
}

export interface SmokeOutcome {
  readonly results: CheckResult[];
  readonly playwrightReportDir: string;
  readonly artifacts: SmokeArtifact[];
  readonly scrub: ScrubReport;
  readonly durationMs: number;
  /** Where the time went: the Playwright child process, and scrubbing its artifacts. */
  readonly phasesMs: { readonly playwright: number; readonly scrub: number };
  /** The process groups the runner, its workers and browsers ran in; none of them is alive once runSmoke returns. */
  readonly processGroups?: readonly number[];
}

/** Throwaway users' passwords the child created (test-support endpoint, hook): scrubbed like the known ones. */
async function readCreatedSecrets(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.split('\n').filter((s) => s.length >= 4);
}

/** Secrets the suite is handed (credentials, DSN); the scrubber also finds the ones the run creates. */
function knownSecretsOf(options: SmokeOptions): string[] {
  const throwaway = options.target.users.throwaway;
  const supportToken =
    throwaway.source === 'endpoint' && throwaway.create.tokenEnv !== undefined ? options.env[throwaway.create.tokenEnv] : undefined;
  return [
    ...(options.secrets ?? []),
    options.target.credentials?.password,
    options.env.VOR_TEST_USER_PASSWORD,
    options.env.SENTRY_DSN,
    supportToken,
  ].filter((s): s is string => typeof s === 'string' && s !== '');
}

function childEnv(options: SmokeOptions, runFile: string, tmpDir: string): NodeJS.ProcessEnv {
  // TMPDIR: the browser profiles and Playwright's unfinished traces land in a folder of this run, counted and deleted with it.
  const env: NodeJS.ProcessEnv = {
    ...options.env,
    [SMOKE_RUN_ENV]: runFile,
    FORCE_COLOR: '0',
    PW_TEST_HTML_REPORT_OPEN: 'never',
    TMPDIR: tmpDir,
    PLAYWRIGHT_TRANSFORM_CACHE_DIR: transformCacheDir(options.env),
  };
  delete env.SENTRY_DSN;
  const credentials = options.target.credentials;
  if (credentials !== undefined) {
    env.VOR_TEST_USER_EMAIL = credentials.email;
    env.VOR_TEST_USER_PASSWORD = credentials.password;
  }
  return env;
}

/**
 * Runs the Playwright suite against one target in a child process (crash-isolated, time-bounded),
 * scrubs secrets out of every artifact, and returns contract records for the selected checks.
 * Used by `vor-watch smoke` and `vor-watch verify`.
 */
export async function runSmoke(options: SmokeOptions): Promise<SmokeOutcome> {
  const started = performance.now();
  const chromium = pickChromium(options.env);
  const outputDir = path.resolve(options.outputDir);
  const smokeDir = path.join(outputDir, 'smoke');
  const playwrightReportDir = path.join(outputDir, 'playwright');
  const resultsFile = path.join(smokeDir, 'results.json');
  // The signed-in storage state holds a live session cookie: private temp dir, deleted afterwards.
  const authDir = await mkdtemp(path.join(os.tmpdir(), 'vor-smoke-auth-'));
  const secretsFile = path.join(authDir, 'created-secrets.txt');
  const childTmp = path.join(authDir, 'tmp');
  await mkdir(childTmp);
  await mkdir(smokeDir, { recursive: true });
  const limits = options.limits ?? runLimitsFrom(options.env);
  await rm(resultsFile, { force: true });

  const run: SmokeRun = {
    baseUrl: options.target.baseUrl,
    apiUrl: options.target.apiUrl,
    loginUrl: options.target.loginUrl,
    environment: options.target.environment,
    production: options.target.production,
    app: options.target.app,
    users: options.target.users,
    authenticatedReadUrl: options.target.authenticatedReadUrl,
    configDir: options.target.configDir ?? process.cwd(),
    secretsFile,
    routes: [...options.target.routes],
    ...(options.target.sessionCookie === undefined ? {} : { sessionCookie: options.target.sessionCookie }),
    ignoreHttpsErrors: options.target.caFile !== undefined,
    budgets: options.budgets,
    outputDir: path.join(smokeDir, 'test-results'),
    resultsFile,
    reportDir: playwrightReportDir,
    authFile: path.join(authDir, 'test-user.json'),
    chromium: {
      ...(chromium.executablePath === undefined ? {} : { executablePath: chromium.executablePath }),
      args: [...chromium.args, BROWSER_HEAP_FLAG],
    },
    video: chromium.canRecordVideo,
    trace: traceModeFor(options.retries ?? 1, options.trace),
    retries: options.retries ?? 1,
    workers: options.workers ?? 2,
    testTimeoutMs: options.testTimeoutMs ?? 30_000,
  };
  const runFile = path.join(smokeDir, 'run.json');
  const env = childEnv(options, runFile, childTmp);
  const team = options.checksDir === undefined ? undefined : await prepareTeamChecks(path.resolve(options.checksDir), run, authDir, env);
  const expected = expectedIds(options.grep, team?.plan);
  await writeFile(runFile, JSON.stringify(team?.teamChecks === undefined ? run : { ...run, teamChecks: team.teamChecks }, null, 2));

  const args = ['test', '--config', CONFIG, ...(options.grep === undefined || options.grep === '' ? [] : ['--grep', options.grep])];
  let exit: ChildExit;
  const playwrightStarted = performance.now();
  let createdSecrets: string[];
  const progressFile = path.join(authDir, 'progress.jsonl');
  const progress = options.onTest === undefined ? undefined : tailSmokeProgress(progressFile, options.redactor, options.onTest);
  try {
    exit = await runPlaywright(args, { ...env, [SMOKE_PROGRESS_ENV]: progressFile }, options, {
      dirs: [smokeDir, playwrightReportDir, childTmp],
      limits,
    });
  } finally {
    await progress?.stop();
    createdSecrets = await readCreatedSecrets(secretsFile);
    await rm(authDir, { recursive: true, force: true });
  }

  const scrubStarted = performance.now();
  const playwrightMs = scrubStarted - playwrightStarted;
  if (exit.allGone === false)
    options.onOutput?.(
      `vor-watch: some processes of the browser run could not be ended (groups ${exit.processGroups?.join(', ')}); its traces, screenshots, videos and Playwright report are deleted\n`,
    );
  const scrub = await secureArtifacts(
    exit,
    { artifacts: [run.outputDir, playwrightReportDir], results: smokeDir },
    [...knownSecretsOf(options), ...createdSecrets],
    {
      ...DEFAULT_SCRUB_LIMITS,
      maxTotalBytes: limits.maxDiskBytes,
      maxFileBytes: Math.min(DEFAULT_SCRUB_LIMITS.maxFileBytes, limits.maxDiskBytes),
    },
  );
  const scrubMs = performance.now() - scrubStarted;
  const read = await readResults(resultsFile);
  const file = read === undefined ? undefined : withTeamFindings(read, team?.plan.findings ?? []);
  const durationMs = performance.now() - started;
  const stoppedEarly = exit.timedOut || exit.interrupted || exit.overLimit !== undefined;
  const results = withDeclarations(
    withSurvivorsNoted(
      withDroppedArtifacts(
        file === undefined
          ? crashResults(options, exit, durationMs, expected, team?.plan.findings ?? [])
          : finalizeFile(stoppedEarly ? withUnfinished(file, options, exit, expected) : file, options),
        file?.artifacts ?? [],
        scrub.dropped,
        outputDir,
      ),
      exit,
    ),
    team?.plan,
  );
  if (scrub.dropped.length > 0) {
    options.onOutput?.(`vor-watch: deleted ${scrub.dropped.length} browser artifact(s) that were too large or could not be scrubbed\n`);
  }
  const removed = new Set(scrub.removed);
  const artifacts = (file?.artifacts ?? []).map((a) => ({
    id: a.id,
    screenshots: a.screenshots.filter((p) => !removed.has(p) && existsSync(p)),
    traces: a.traces.filter((p) => !removed.has(p) && existsSync(p)),
  }));
  return {
    results,
    playwrightReportDir,
    artifacts,
    scrub,
    durationMs,
    phasesMs: { playwright: playwrightMs, scrub: scrubMs },
    ...(exit.processGroups === undefined ? {} : { processGroups: exit.processGroups }),
  };
}
