import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { createInterface } from 'node:readline';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Budgets } from '../src/config/schema.js';
import { PROJECT_ROOT } from '../src/project-root.js';
import { finalizeFindings } from '../src/core/finalize.js';
import type { Redactor } from '../src/core/redact.js';
import type { CheckResult, Finding } from '../src/core/result.js';
import type { Target } from '../src/core/target.js';
import { checksMatching } from './checks.js';
import { pickChromium } from './chromium.js';
import {
  DEFAULT_SCRUB_LIMITS,
  discardArtifacts,
  scrubArtifacts,
  type DroppedArtifact,
  type ScrubLimits,
  type ScrubReport,
} from './evidence/scrub-artifacts.js';
import { RunProcesses } from './process-group.js';
import { SMOKE_PROGRESS_ENV, tailSmokeProgress, type SmokeTestEvent } from './progress-events.js';
import { runLimitsFrom, watchRun, type RunLimits } from './run-limits.js';
import { SmokeResultsFileSchema, type SmokeResultsFile } from './results-file.js';
import { SMOKE_RUN_ENV, type SmokeRun } from './run-config.js';

const ROOT = fileURLToPath(PROJECT_ROOT);
const PLAYWRIGHT_CLI = path.join(ROOT, 'node_modules', '@playwright', 'test', 'cli.js');
const CONFIG = path.join(ROOT, 'playwright.config.ts');
const OUTPUT_TAIL_CHARS = 4_000;
/** V8's heap per renderer: a page that parses a decompression bomb runs out of heap instead of taking the machine's memory. */
const BROWSER_HEAP_FLAG = '--js-flags=--max-old-space-size=512';

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
  /** Keep every trace, not only failures' (default 'retain-on-failure'). */
  readonly trace?: 'retain-on-failure' | 'on';
  /** Playwright's own progress lines (the list reporter), already redacted. */
  readonly onOutput?: (text: string) => void;
  /** Each browser test as it finishes (or fails and will be retried), streamed from the runner; title redacted. */
  readonly onTest?: (event: SmokeTestEvent) => void;
  readonly signal?: AbortSignal;
  /** Every secret of the session (config.secrets and the embedded target's): scrubbed out of the artifacts, since the child inherits them all. */
  readonly secrets?: readonly string[];
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
  };
  delete env.SENTRY_DSN;
  const credentials = options.target.credentials;
  if (credentials !== undefined) {
    env.VOR_TEST_USER_EMAIL = credentials.email;
    env.VOR_TEST_USER_PASSWORD = credentials.password;
  }
  return env;
}

export interface ChildExit {
  readonly code: number | null;
  readonly output: string;
  readonly timedOut: boolean;
  /** Stopped by the caller's signal (Ctrl-C), possibly before it started. */
  readonly interrupted: boolean;
  /** Stopped for taking more memory or disk than its limits: what it took. */
  readonly overLimit?: string;
  /** The process groups of the run (the runner's, each browser's); `allGone` false when some process could not be ended. */
  readonly processGroups?: readonly number[];
  readonly allGone?: boolean;
}

interface Watched {
  readonly dirs: readonly string[];
  readonly limits: RunLimits;
}

const GROUP_GONE_AFTER_EXIT_MS = 2_000;
/** SIGTERM first, so Playwright can close its browsers and write what finished; SIGKILL after this. */
const STOP_GRACE_MS = 2_000;

function runPlaywright(args: readonly string[], env: NodeJS.ProcessEnv, options: SmokeOptions, watched: Watched): Promise<ChildExit> {
  const timeoutMs = options.timeoutMs ?? 180_000;
  // An interrupt that came while the suite was being prepared must not let the browser run start.
  if (options.signal?.aborted === true) return Promise.resolve({ code: null, output: '', timedOut: false, interrupted: true });
  return new Promise((resolve, reject) => {
    // A process group of its own: the runner and its workers, with the groups of the browsers they
    // start, are ended together and waited for before anything reads (scrubs) what they wrote.
    const child = spawn(process.execPath, [PLAYWRIGHT_CLI, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const processes = child.pid === undefined ? undefined : new RunProcesses(child.pid, env.TMPDIR);
    let output = '';
    let timedOut = false;
    let interrupted = false;
    // Redacted line by line: a secret split across two chunks must not slip through.
    const onLine = (line: string) => {
      const text = `${options.redactor.string(line)}\n`;
      output = (output + text).slice(-OUTPUT_TAIL_CHARS);
      options.onOutput?.(text);
    };
    createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', onLine);
    createInterface({ input: child.stderr, crlfDelay: Infinity }).on('line', onLine);
    let overLimit: string | undefined;
    let stopping: Promise<boolean> | undefined;
    const stop = (mark: () => void): void => {
      if (processes === undefined || stopping !== undefined) return;
      mark();
      stopping = processes.terminate({ graceMs: STOP_GRACE_MS });
    };
    const timer = setTimeout(() => stop(() => (timedOut = true)), timeoutMs);
    const interrupt = (): void => stop(() => (interrupted = true));
    options.signal?.addEventListener('abort', interrupt, { once: true });
    const unwatch =
      processes === undefined ? () => undefined : watchRun(processes, watched.dirs, watched.limits, (why) => stop(() => (overLimit = why)));
    const closed = new Promise<void>((done) => child.once('close', () => done()));
    const cleanUp = (): void => {
      clearTimeout(timer);
      unwatch();
      options.signal?.removeEventListener('abort', interrupt);
    };
    child.on('error', (error) => {
      cleanUp();
      reject(error);
    });
    child.once('exit', (code) => {
      cleanUp();
      void (async () => {
        // Workers and browsers can outlive the runner (orphaned): they go too, before anyone reads what they wrote.
        await stopping;
        const allGone = processes === undefined ? true : await processes.terminate();
        await Promise.race([closed, sleep(GROUP_GONE_AFTER_EXIT_MS)]);
        resolve({
          code,
          output,
          timedOut,
          interrupted,
          ...(overLimit === undefined ? {} : { overLimit }),
          ...(processes === undefined ? {} : { processGroups: processes.groups(), allGone }),
        });
      })();
    });
  });
}

async function readResults(file: string): Promise<SmokeResultsFile | undefined> {
  if (!existsSync(file)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return undefined; // cut short mid-write (a killed run): reported like a crash, with the reason
  }
  const parsed = SmokeResultsFileSchema.safeParse(json);
  return parsed.success ? (parsed.data as SmokeResultsFile) : undefined;
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
    trace: options.trace ?? 'retain-on-failure',
    retries: options.retries ?? 1,
    workers: options.workers ?? 2,
    testTimeoutMs: options.testTimeoutMs ?? 30_000,
  };
  const runFile = path.join(smokeDir, 'run.json');
  await writeFile(runFile, JSON.stringify(run, null, 2));

  const args = ['test', '--config', CONFIG, ...(options.grep === undefined || options.grep === '' ? [] : ['--grep', options.grep])];
  let exit: ChildExit;
  const playwrightStarted = performance.now();
  let createdSecrets: string[];
  const progressFile = path.join(authDir, 'progress.jsonl');
  const progress = options.onTest === undefined ? undefined : tailSmokeProgress(progressFile, options.redactor, options.onTest);
  try {
    exit = await runPlaywright(args, { ...childEnv(options, runFile, childTmp), [SMOKE_PROGRESS_ENV]: progressFile }, options, {
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
  const file = await readResults(resultsFile);
  const durationMs = performance.now() - started;
  const stoppedEarly = exit.timedOut || exit.interrupted || exit.overLimit !== undefined;
  const results = withSurvivorsNoted(
    withDroppedArtifacts(
      file === undefined
        ? crashResults(options, exit, durationMs)
        : finalizeFile(stoppedEarly ? withUnfinished(file, options, exit) : file, options),
      file?.artifacts ?? [],
      scrub.dropped,
      outputDir,
    ),
    exit,
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

/**
 * Scrubs what the run wrote. When some process of the run could not be ended it could still write after
 * the scrub: then its traces, screenshots, videos and Playwright report are deleted unread instead, and
 * only the results folder (written by the runner, which has exited) is scrubbed and kept.
 */
export async function secureArtifacts(
  exit: Pick<ChildExit, 'allGone'>,
  dirs: { readonly artifacts: readonly string[]; readonly results: string },
  secrets: readonly string[],
  limits: ScrubLimits,
): Promise<ScrubReport> {
  if (exit.allGone !== false) return scrubArtifacts([...dirs.artifacts, dirs.results], secrets, limits);
  const discarded = await discardArtifacts(dirs.artifacts, 'processes_survived');
  const kept = await scrubArtifacts([dirs.results], secrets, limits);
  return {
    files: discarded.files + kept.files,
    rewritten: kept.rewritten,
    removed: [...discarded.removed, ...kept.removed],
    dropped: [...discarded.dropped, ...kept.dropped],
  };
}

/** Every result says when its run's artifacts were deleted because processes of the run survived it. */
function withSurvivorsNoted(results: CheckResult[], exit: ChildExit): CheckResult[] {
  if (exit.allGone !== false) return results;
  const note = `some processes of the browser run could not be ended (groups ${exit.processGroups?.join(', ') ?? '?'}); its traces, screenshots, videos and Playwright report were deleted, not kept where they could still be written to`;
  return results.map((r) => ({ ...r, evidence: { ...r.evidence, artifactsDeleted: note } }));
}

/** A check whose screenshot or trace was deleted unscrubbed says so in its evidence, so a missing trace is not a mystery. */
function withDroppedArtifacts(
  results: CheckResult[],
  artifacts: readonly SmokeArtifact[],
  dropped: readonly DroppedArtifact[],
  outputDir: string,
): CheckResult[] {
  if (dropped.length === 0) return results;
  return results.map((result) => {
    const own = artifacts.filter((a) => a.id === result.id).flatMap((a) => [...a.screenshots, ...a.traces]);
    const notes = dropped
      .filter((d) => own.includes(d.file))
      .map((d) => ({ file: path.relative(outputDir, d.file), reason: d.reason, bytes: d.bytes }));
    return notes.length === 0 ? result : { ...result, evidence: { ...result.evidence, droppedArtifacts: notes } };
  });
}

function finalizeFile(file: SmokeResultsFile, options: SmokeOptions): CheckResult[] {
  return file.selected.flatMap((id) =>
    finalizeFindings({
      declared: [id],
      findings: file.findings.filter((f) => f.id === id),
      target: options.target.origin,
      durationMs: file.durationsMs[id] ?? 0,
      redactor: options.redactor,
    }),
  );
}

/**
 * A run stopped early (budget or interrupt) leaves the results of the tests that finished; those keep them,
 * and every selected check without a result becomes an error saying why.
 */
export function withUnfinished(file: SmokeResultsFile, options: SmokeOptions, exit: ChildExit): SmokeResultsFile {
  const finished = new Set(file.findings.map((f) => f.id));
  const selected = [...new Set([...file.selected, ...checksMatching(options.grep)])];
  const budgetS = Math.round((options.timeoutMs ?? 180_000) / 1000);
  const unfinished: Finding[] = selected
    .filter((id) => !finished.has(id))
    .map((id) => ({
      id,
      status: 'error',
      reason: exit.interrupted ? 'interrupted' : 'budget_exceeded',
      message: exit.interrupted
        ? `${id} not evaluated on ${options.target.origin}: the run was interrupted (SIGINT/SIGTERM) before it finished`
        : exit.overLimit !== undefined
          ? `${id} not evaluated on ${options.target.origin}: ${exit.overLimit}; it was stopped before it finished`
          : `${id} not evaluated on ${options.target.origin}: the browser run's budget of ${budgetS} s ran out before it finished (smoke.budgetMs in the config)`,
      evidence: {},
    }));
  return { ...file, selected, findings: [...file.findings, ...unfinished] };
}

/** Playwright died or was killed before its reporter wrote: every selected check is an error, saying why. */
function crashResults(options: SmokeOptions, exit: ChildExit, durationMs: number): CheckResult[] {
  const ids = checksMatching(options.grep);
  const why = exit.interrupted
    ? 'the run was interrupted (SIGINT/SIGTERM) before the browser checks finished'
    : exit.overLimit !== undefined
      ? `${exit.overLimit}; it was stopped before reporting`
      : exit.timedOut
        ? `the Playwright run was stopped after ${Math.round((options.timeoutMs ?? 180_000) / 1000)} s`
        : `Playwright exited with code ${exit.code ?? 'null'} before reporting`;
  const tail = exit.output.trim().split('\n').slice(-8).join('\n');
  const findings: Finding[] = ids.map((id) => ({
    id,
    status: 'error',
    reason: exit.interrupted ? 'interrupted' : exit.timedOut || exit.overLimit !== undefined ? 'budget_exceeded' : 'runner_crashed',
    message: `${id} not evaluated on ${options.target.origin}: ${why}`,
    evidence: { output: tail },
  }));
  return finalizeFindings({ declared: ids, findings, target: options.target.origin, durationMs, redactor: options.redactor });
}
