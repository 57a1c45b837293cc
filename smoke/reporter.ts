import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FullConfig, FullResult, Reporter, Suite, TestCase, TestResult, TestStep } from '@playwright/test/reporter';
import type { CheckId } from '../src/core/catalogue.js';
import type { Evidence, Finding } from '../src/core/result.js';
import { COLLECTED_ATTACHMENT } from './collectors.js';
import { FINDING_ATTACHMENT, REASON_ANNOTATION } from './outcome.js';
import { SmokeProgressWriter } from './progress-events.js';
import type { SmokeArtifacts, SmokeResultsFile } from './results-file.js';
import { declarationOf, placeOf, TEAM_PROJECT, type Declaration } from './team-checks.js';
import { teamFindingOf } from './team-outcome.js';
import { findingOf, worstOf, type TestOutcome } from './test-outcome.js';

function bodyJson<T>(result: TestResult, name: string): T[] {
  return result.attachments.filter((a) => a.name === name && a.body !== undefined).map((a) => JSON.parse(a.body!.toString('utf8')) as T);
}

function failedStepOf(steps: readonly TestStep[]): string | undefined {
  for (const step of steps) {
    if (step.error === undefined) continue;
    return failedStepOf(step.steps) ?? (step.category === 'test.step' ? step.title : undefined);
  }
  return undefined;
}

/** The category of the innermost failed step: tells an assertion or action that failed from a spec that threw. */
function failedCategoryOf(steps: readonly TestStep[]): string | undefined {
  const failed = steps.find((step) => step.error !== undefined);
  return failed === undefined ? undefined : (failedCategoryOf(failed.steps) ?? failed.category);
}

function declarationOfTest(test: TestCase): Declaration | undefined {
  const declared = declarationOf(test.annotations);
  return 'problem' in declared ? undefined : declared;
}

const checkIdOf = (test: TestCase): CheckId | undefined => declarationOfTest(test)?.id;

const isTeamTest = (test: TestCase): boolean => test.parent.project()?.name === TEAM_PROJECT;

/** Turns Playwright's outcomes into the shared result model; runSmoke reads the file it writes. */
export default class VorSmokeReporter implements Reporter {
  private root: Suite | undefined;
  private baseUrl = '';
  private readonly resultsFile: string;
  private readonly finished = new Set<TestCase>();
  private readonly progress = new SmokeProgressWriter();

  constructor(options: { resultsFile: string }) {
    this.resultsFile = options.resultsFile;
  }

  printsToStdio(): boolean {
    return false;
  }

  onBegin(config: FullConfig, suite: Suite): void {
    this.root = suite;
    this.progress.begin(suite);
    const baseURL = config.projects[0]?.use.baseURL;
    this.baseUrl = typeof baseURL === 'string' ? new URL(baseURL).origin : '';
  }

  /** Written after every finished test too, so a run stopped by its budget keeps what already finished. */
  onTestEnd(test: TestCase, result: TestResult): void {
    this.progress.testEnd(test, result);
    const willRetry = result.status !== 'passed' && result.status !== 'skipped' && test.results.length <= test.retries;
    if (willRetry) return;
    // Only tests seen ending count: a running test's result already exists and reads as "skipped" until it ends.
    this.finished.add(test);
    this.write('running', (t) => this.finished.has(t));
  }

  onEnd(result: FullResult): void {
    this.write(result.status, () => true);
  }

  private write(status: string, finished: (test: TestCase) => boolean): void {
    const tests = this.root?.allTests() ?? [];
    const setupFailure = tests
      .filter((t) => checkIdOf(t) === undefined && t.outcome() === 'unexpected')
      .map((t) => `${t.title}: ${t.results.at(-1)?.error?.message ?? 'failed'}`)[0];

    const selected = new Set<CheckId>();
    const byId = new Map<CheckId, { findings: Finding[]; durationMs: number; artifacts: SmokeArtifacts }>();
    for (const test of tests) {
      const id = checkIdOf(test);
      if (id === undefined) continue;
      selected.add(id);
      if (!finished(test)) continue;
      const entry = byId.get(id) ?? { findings: [], durationMs: 0, artifacts: { id, screenshots: [], traces: [], videos: [] } };
      byId.set(id, entry);
      const finding = findingOf(this.outcomeOf(test, id, setupFailure));
      entry.findings.push(isTeamTest(test) ? this.teamFinding(test, finding) : finding);
      for (const attempt of test.results) {
        entry.durationMs += attempt.duration;
        for (const a of attempt.attachments) {
          if (a.path === undefined) continue;
          if (a.name === 'screenshot') entry.artifacts.screenshots.push(a.path);
          else if (a.name === 'trace') entry.artifacts.traces.push(a.path);
          else if (a.name === 'video') entry.artifacts.videos.push(a.path);
        }
      }
    }

    const file: SmokeResultsFile = {
      selected: [...selected],
      findings: [...byId.values()].flatMap((e) => worstOf(e.findings) ?? []),
      durationsMs: Object.fromEntries([...byId].map(([id, e]) => [id, e.durationMs])),
      artifacts: [...byId.values()].map((e) => e.artifacts).filter((a) => a.screenshots.length + a.traces.length + a.videos.length > 0),
      status,
    };
    mkdirSync(path.dirname(this.resultsFile), { recursive: true });
    // Written whole and renamed, so a run killed mid-write never leaves half a file.
    const temporary = `${this.resultsFile}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(file, null, 2));
    renameSync(temporary, this.resultsFile);
  }

  /** A team's test: its declaration applies, and a hang or an exception of the spec names file and line. */
  private teamFinding(test: TestCase, finding: Finding): Finding {
    const last = test.results.at(-1);
    const testDir = test.parent.project()?.testDir ?? '';
    const at = last?.error?.location;
    return teamFindingOf(finding, {
      title: test.title,
      declaration: declarationOfTest(test)!,
      place: placeOf(testDir, test.location.file, test.location.line),
      ...(at === undefined || !at.file.startsWith(testDir) ? {} : { errorPlace: placeOf(testDir, at.file, at.line) }),
      ...(last === undefined ? {} : { lastStatus: last.status }),
      ...(last === undefined ? {} : { failedCategory: failedCategoryOf(last.steps) }),
      ...(last?.error?.message === undefined ? {} : { error: last.error.message }),
      timeoutMs: test.timeout,
    });
  }

  private outcomeOf(test: TestCase, id: CheckId, setupFailure: string | undefined): TestOutcome {
    const last = test.results.at(-1);
    const outcome = test.outcome();
    const firstFailure = test.results.find((r) => r.status !== 'passed' && r.status !== 'skipped');
    const errorSource = outcome === 'flaky' ? firstFailure : last;
    const runtimeAnnotations = last?.annotations ?? [];
    const skipNote = [...test.annotations, ...runtimeAnnotations].find((a) => a.type === 'skip' || a.type === 'fixme')?.description;
    const reason = runtimeAnnotations.filter((a) => a.type === REASON_ANNOTATION).at(-1)?.description;
    const finding = last === undefined ? undefined : bodyJson<Finding>(last, FINDING_ATTACHMENT).at(-1);
    const collected = last === undefined ? [] : bodyJson<Evidence>(last, COLLECTED_ATTACHMENT);
    const failedStep = errorSource === undefined ? undefined : failedStepOf(errorSource.steps);
    return {
      id,
      title: test.title,
      origin: this.baseUrl,
      outcome,
      attempts: test.results.map((r) => r.status),
      ...(finding === undefined ? {} : { finding }),
      ...(errorSource?.error?.message === undefined ? {} : { error: errorSource.error.message }),
      ...(failedStep === undefined ? {} : { failedStep }),
      ...(reason === undefined ? {} : { reason }),
      ...(skipNote === undefined ? {} : { skipNote }),
      ...(test.results.length === 0 && setupFailure !== undefined ? { setupFailure } : {}),
      ...(collected.length === 0 ? {} : { collected: Object.assign({}, ...collected) as Evidence }),
    };
  }
}
