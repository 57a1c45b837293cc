import { finalizeFindings } from '../src/core/finalize.js';
import type { Redactor } from '../src/core/redact.js';
import { errored, skip, type CheckResult, type Finding } from '../src/core/result.js';
import type { Target } from '../src/core/target.js';
import { classifyFailure, ProbeFailure } from '../src/net/failure.js';
import { runAutocannon } from './engines/autocannon.js';
import { runClosed } from './engines/closed.js';
import { runOpen } from './engines/open.js';
import { defaultIsFailure, type ClosedEngine, type EngineOptions, type EngineRun } from './engines/types.js';
import { prepareScenario, type PreparedScenario } from './prepare.js';
import { compareWithBaseline, type LoadComparison } from './report/compare.js';
import { writeLoadFiles } from './report/files.js';
import { buildLoadReport, type CapacityStep, type LoadModel, type LoadReport } from './report/load-report.js';
import { LoadRecorder, type LoadSample, type LoadWindow } from './sample.js';
import { generatorHealth, qualifyLatencyFindings } from './saturation.js';
import { SCENARIOS } from './scenarios/index.js';
import type { LoadCheckId, Scenario, Threshold } from './scenarios/types.js';
import { breachedWindows, evaluateThreshold, holds, metricValue } from './thresholds.js';

/** Bounds every run, whatever the flags say. */
export const MAX_DURATION_SECONDS = 600;
export const MAX_REQUESTS = 5_000_000;
/** The open model must deliver this share of the target rate to count as sustaining it. */
export const SUSTAINED_RATE_SHARE = 0.95;
/** Doubling from 10/s, 12 steps reach 20 480 req/s. */
export const CAPACITY_MAX_STEPS = 12;

export interface RunLoadInput {
  readonly target: Target;
  readonly scenario: string | Scenario;
  readonly durationSeconds: number;
  readonly connections?: number;
  /** Closed model: who sends the requests (default vor-watch's own connections; always those for a scenario with think time). */
  readonly engine?: ClosedEngine;
  /** Open model at this arrival rate (req/s); without it the closed model runs. */
  readonly rate?: number;
  /** Step the open model's rate up from `rate` (or 10/s) until a threshold breaks. */
  readonly capacity?: boolean;
  readonly redactor: Redactor;
  readonly outputDir: string;
  readonly signal?: AbortSignal;
  readonly abortOnBreach?: boolean;
  readonly windowSeconds?: number;
  readonly maxRequests?: number;
  readonly timeoutMs?: number;
  readonly baseline?: LoadReport;
  /** Live progress: called when each window closes. */
  readonly onWindow?: (window: LoadWindow, breaches: readonly LoadCheckId[], label: string) => void;
}

export interface RunLoadOutput {
  readonly results: CheckResult[];
  readonly files: string[];
  readonly report: LoadReport;
  readonly comparison?: LoadComparison;
}

/** The open model's unrecorded lead-in: 10 % of the run, at most 1 s. */
export const warmupMsFor = (durationSeconds: number): number => Math.min(1000, durationSeconds * 100);

/** Short runs still get several windows; long runs get 10 s windows. */
export const windowSecondsFor = (durationSeconds: number): number => Math.min(10, Math.max(1, Math.round(durationSeconds / 5)));

function scenarioOf(input: string | Scenario): Scenario {
  if (typeof input !== 'string') return input;
  const scenario = SCENARIOS[input];
  if (scenario === undefined) throw new ProbeFailure('unknown_scenario', `unknown scenario "${input}"`);
  return scenario;
}

/** In the open model the throughput floor is the rate asked for: the point is to sustain it. */
export function effectiveThresholds(scenario: Scenario, rate: number | undefined): Threshold[] {
  return scenario.thresholds.map((t) =>
    t.metric === 'requestsPerSecond' && rate !== undefined ? { id: t.id, metric: t.metric, above: rate * SUSTAINED_RATE_SHARE } : t,
  );
}

function windowBreaches(window: LoadWindow, thresholds: readonly Threshold[], windowSeconds: number): LoadCheckId[] {
  const sample: LoadSample = { overall: window, windows: [window], percentiles: [] };
  return thresholds.filter((t) => breachedWindows(sample, t, windowSeconds).length > 0).map((t) => t.id);
}

/** k6's abortOnFail: a threshold that says so stops the run at the first window breaking it, once delayAbortEval has passed. */
function abortsOn(window: LoadWindow, breaches: readonly LoadCheckId[], thresholds: readonly Threshold[]): boolean {
  return thresholds.some((t) => t.abortOnFail === true && breaches.includes(t.id) && window.endSeconds >= (t.delayAbortEvalSeconds ?? 0));
}

/** Status → failed, as a lookup table: this runs once per response at tens of thousands per second. */
function failureTable(accepted: readonly number[]): (status: number) => boolean {
  const table = new Uint8Array(600);
  for (let status = 0; status < 600; status += 1) table[status] = defaultIsFailure(status) && !accepted.includes(status) ? 1 : 0;
  return (status) => (status >= 0 && status < 600 ? table[status] === 1 : true);
}

interface PhaseInput {
  readonly prepared: PreparedScenario;
  readonly scenario: Scenario;
  readonly target: Target;
  readonly durationSeconds: number;
  readonly connections: number;
  readonly engine: ClosedEngine;
  readonly rate?: number;
  readonly thresholds: readonly Threshold[];
  readonly windowSeconds: number;
  readonly maxRequests: number;
  readonly timeoutMs: number;
  readonly abortOnBreach: boolean;
  readonly signal?: AbortSignal;
  readonly label: string;
  readonly onWindow?: RunLoadInput['onWindow'];
}

/** One engine run with live windows; resolves with the sample even when stopped early. */
async function runPhase(input: PhaseInput): Promise<{ sample: LoadSample; abortedOnBreach: boolean }> {
  const recorder = new LoadRecorder(input.windowSeconds * 1000, performance.now(), { waitForStart: input.rate !== undefined });
  const engineOptions: EngineOptions = {
    origin: input.prepared.origin,
    requests: input.prepared.requests,
    durationMs: input.durationSeconds * 1000,
    maxRequests: input.maxRequests,
    connections: input.connections,
    timeoutMs: input.timeoutMs,
    ...(input.target.caPem === undefined ? {} : { caPem: input.target.caPem }),
    recorder,
    isFailure: failureTable(input.scenario.acceptedStatuses ?? []),
    ...(input.signal === undefined ? {} : { signal: input.signal }),
  };
  const thinkTime = input.scenario.thinkTimeSeconds ?? 0;
  const engine: EngineRun =
    input.rate === undefined
      ? input.engine === 'autocannon'
        ? runAutocannon(engineOptions)
        : runClosed({ ...engineOptions, thinkTimeMs: thinkTime * 1000 })
      : runOpen({ ...engineOptions, rate: input.rate, warmupMs: warmupMsFor(input.durationSeconds) });
  let abortedOnBreach = false;
  recorder.onWindow((window) => {
    const breaches = windowBreaches(window, input.thresholds, input.windowSeconds);
    input.onWindow?.(window, breaches, input.label);
    if (!abortedOnBreach && (input.abortOnBreach ? breaches.length > 0 : abortsOn(window, breaches, input.thresholds))) {
      abortedOnBreach = true;
      engine.stop();
    }
  });
  const ticker = setInterval(() => recorder.tick(), 100);
  try {
    await engine.done;
  } finally {
    clearInterval(ticker);
  }
  return { sample: recorder.snapshot(), abortedOnBreach };
}

function judge(
  sample: LoadSample,
  thresholds: readonly Threshold[],
  scenario: string,
  origin: string,
  windowSeconds: number,
  windowBreachFails: boolean,
): Finding[] {
  return thresholds.map((t) => evaluateThreshold(sample, t, { scenario, origin, windowSeconds, windowBreachFails }));
}

/** Steps the open-model rate up (doubling) until a threshold breaks; the last rate that held is the capacity. */
async function searchCapacity(
  base: Omit<PhaseInput, 'rate' | 'thresholds' | 'label'>,
  startRate: number,
): Promise<{ steps: CapacityStep[]; held?: { rate: number; sample: LoadSample }; last: { rate: number; sample: LoadSample } }> {
  const steps: CapacityStep[] = [];
  let held: { rate: number; sample: LoadSample } | undefined;
  let last: { rate: number; sample: LoadSample } | undefined;
  // The whole search fits in --duration (steps of at least 1 s), like any other run.
  const maxSteps = CAPACITY_MAX_STEPS;
  const stepSeconds = Math.max(1, base.durationSeconds / maxSteps);
  let rate = startRate;
  for (let i = 0; i < maxSteps && base.signal?.aborted !== true; i += 1) {
    const thresholds = effectiveThresholds(base.scenario, rate);
    const { sample } = await runPhase({
      ...base,
      durationSeconds: stepSeconds,
      rate,
      thresholds,
      label: `${rate} req/s`,
      abortOnBreach: false,
    });
    const breaches = thresholds.filter((t) => !holds(metricValue(sample.overall, t.metric), t)).map((t) => t.id);
    steps.push({ rate, held: breaches.length === 0, overall: sample.overall, breaches });
    last = { rate, sample };
    if (breaches.length > 0) break;
    held = { rate, sample };
    rate *= 2;
  }
  return { steps, ...(held === undefined ? {} : { held }), last: last ?? { rate, sample: new LoadRecorder(1000).snapshot() } };
}

/**
 * An interrupted run gives no verdict, like an interrupted gate or browser run: a few seconds of
 * data can pass any threshold. Each threshold is error/interrupted and says what it measured so far.
 */
function unjudgedOnInterrupt(finding: Finding, ranSeconds: number, plannedSeconds: number): Finding {
  return errored(
    finding.id,
    'interrupted',
    `not judged: the load was interrupted (SIGINT/SIGTERM) after ${ranSeconds.toFixed(1)} s of ${plannedSeconds} s; so far: ${finding.message}`,
    { ...finding.evidence, interrupted: true, statusSoFar: finding.status },
  );
}

/** What would give the load a signed-in test user: the variables this target's profile names. */
function testUserHint(target: Target): string {
  const existing = target.users.existing;
  return existing === null
    ? 'this target has no pre-provisioned test user (targets[].users.existing is null)'
    : `set ${existing.emailEnv} and ${existing.passwordEnv}`;
}

/**
 * A load run: prepares the scenario, runs the chosen model with live windows, turns each
 * threshold into one result record and writes load.json, load.html and load.md to outputDir.
 * Ctrl-C (signal) stops it early; the partial run is still written, but not judged.
 */
export async function runLoad(input: RunLoadInput): Promise<RunLoadOutput> {
  const scenario = scenarioOf(input.scenario);
  const started = new Date();
  const startedMs = performance.now();
  const durationSeconds = Math.min(input.durationSeconds, MAX_DURATION_SECONDS);
  const connections = input.connections ?? scenario.defaults.connections;
  const windowSeconds = input.windowSeconds ?? windowSecondsFor(durationSeconds);
  const model: LoadModel = input.capacity === true ? 'capacity' : input.rate === undefined ? 'closed' : 'open';
  // autocannon cannot wait between requests: a scenario with think time runs on vor-watch's engine (the CLI refuses the pair).
  const engine: ClosedEngine = input.engine === 'autocannon' && (scenario.thinkTimeSeconds ?? 0) === 0 ? 'autocannon' : 'vor-watch';
  const timeoutMs = input.timeoutMs ?? 10_000;
  const origin = input.target.origin;
  // What every report of this run states, whether or not the load could start.
  const reportHeader = {
    scenario: scenario.name,
    model,
    target: origin,
    startedAt: started,
    plannedDurationSeconds: durationSeconds,
    connections,
    ...(model === 'closed' ? { engine } : {}),
    windowSeconds,
  };
  const declared = scenario.thresholds.map((t) => t.id);
  const finalize = (findings: Finding[]) =>
    finalizeFindings({ declared, findings, target: origin, durationMs: performance.now() - startedMs, redactor: input.redactor });

  let prepared: PreparedScenario;
  try {
    prepared = await prepareScenario(scenario, input.target, {
      timeoutMs,
      ...(input.signal === undefined ? {} : { signal: input.signal }),
    });
  } catch (error) {
    const failure =
      input.signal?.aborted === true
        ? { reason: 'interrupted', detail: 'interrupted (SIGINT/SIGTERM) before it started' }
        : error instanceof ProbeFailure
          ? { reason: error.reason, detail: error.message }
          : classifyFailure(error);
    const findings = declared.map((id) =>
      failure.reason === 'no_credentials'
        ? skip(id, 'no_credentials', `the ${scenario.name} scenario needs a signed-in test user; ${testUserHint(input.target)}`)
        : errored(id, failure.reason, `the ${scenario.name} load could not start on ${origin}: ${failure.detail}`),
    );
    return {
      results: finalize(findings),
      files: [],
      report: buildLoadReport(reportHeader),
    };
  }

  const base = {
    prepared,
    scenario,
    target: input.target,
    durationSeconds,
    connections,
    engine,
    windowSeconds,
    maxRequests: Math.min(input.maxRequests ?? MAX_REQUESTS, MAX_REQUESTS),
    timeoutMs,
    abortOnBreach: input.abortOnBreach === true,
    ...(input.signal === undefined ? {} : { signal: input.signal }),
    ...(input.onWindow === undefined ? {} : { onWindow: input.onWindow }),
  };

  let sample: LoadSample;
  let thresholds: Threshold[];
  let abortedOnBreach = false;
  let capacity: LoadReport['capacity'];
  let rate = input.rate;
  if (model === 'capacity') {
    const search = await searchCapacity(base, input.rate ?? 10);
    const chosen = search.held ?? search.last;
    rate = chosen.rate;
    sample = chosen.sample;
    thresholds = effectiveThresholds(scenario, rate);
    capacity = { highestHeldRate: search.held?.rate ?? null, steps: search.steps };
  } else {
    thresholds = effectiveThresholds(scenario, input.rate);
    const phase = await runPhase({ ...base, ...(input.rate === undefined ? {} : { rate: input.rate }), thresholds, label: scenario.name });
    sample = phase.sample;
    abortedOnBreach = phase.abortedOnBreach;
  }

  const interrupted = input.signal?.aborted === true;
  const generator = generatorHealth(sample, thresholds);
  const judged = qualifyLatencyFindings(judge(sample, thresholds, scenario.name, origin, windowSeconds, abortedOnBreach), generator);
  const findings = interrupted ? judged.map((f) => unjudgedOnInterrupt(f, sample.overall.durationSeconds, durationSeconds)) : judged;
  const results = finalize(
    findings.map((f) =>
      capacity === undefined || f.id !== 'load.throughput'
        ? f
        : { ...f, evidence: { ...f.evidence, capacityRps: capacity.highestHeldRate } },
    ),
  );
  const report = buildLoadReport({
    ...reportHeader,
    ...(rate === undefined ? {} : { rate }),
    interrupted,
    abortedOnBreach,
    ...(model === 'closed'
      ? {}
      : { warmupSeconds: warmupMsFor(model === 'capacity' ? Math.max(1, durationSeconds / CAPACITY_MAX_STEPS) : durationSeconds) / 1000 }),
    requests: prepared.requests.map((r) => `${r.method} ${r.path}`),
    thresholds,
    sample,
    ...(generator === undefined ? {} : { generator }),
    ...(capacity === undefined ? {} : { capacity }),
    results,
  });
  const comparison = input.baseline === undefined ? undefined : compareWithBaseline(report, input.baseline);
  const files = await writeLoadFiles(report, comparison, input.outputDir);
  return { results, files, report, ...(comparison === undefined ? {} : { comparison }) };
}
