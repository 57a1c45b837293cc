import type { Finding } from '../src/core/result.js';
import type { Declaration } from './team-checks.js';
import { firstLine } from './test-outcome.js';

/** What the reporter knows about one of the team's tests beyond the common outcome. */
export interface TeamTestFacts {
  readonly title: string;
  readonly declaration: Declaration;
  /** "checks/balance.spec.ts:12": where the test is declared. */
  readonly place: string;
  /** Where its error was thrown, when Playwright knows. */
  readonly errorPlace?: string;
  readonly lastStatus?: 'passed' | 'failed' | 'timedOut' | 'skipped' | 'interrupted';
  /** The category of the innermost failed step ('expect', 'pw:api', 'fixture', 'test.step'…); undefined when none failed. */
  readonly failedCategory?: string;
  readonly error?: string;
  readonly timeoutMs: number;
}

/** A failure that is the app's: an assertion, a Playwright action, a fixture (sign-in, throwaway user). */
const APP_FAILURE = new Set(['expect', 'pw:api', 'fixture', 'hook']);

/**
 * A team's test: a hang or an exception of the spec itself is an `error` naming file and line (the spec
 * is broken, the app is not proven wrong); its declared severity and checklist items ride on the finding.
 */
export function teamFindingOf(finding: Finding, facts: TeamTestFacts): Finding {
  const declared =
    facts.declaration.severity === undefined ? {} : { severity: facts.declaration.severity, checklist: [...facts.declaration.checklist] };
  const evidence = { ...finding.evidence, file: facts.place };
  if (finding.status === 'fail' && facts.lastStatus === 'timedOut') {
    return {
      ...finding,
      ...declared,
      status: 'error',
      reason: 'timeout',
      message: `${facts.place}: "${facts.title}" did not finish within ${Math.round(facts.timeoutMs / 1000)} s (smoke.testTimeoutMs); it was stopped`,
      evidence,
    };
  }
  const specError =
    finding.status === 'fail' &&
    facts.lastStatus === 'failed' &&
    finding.reason === 'assertion_failed' &&
    !APP_FAILURE.has(facts.failedCategory ?? '');
  if (specError) {
    return {
      ...finding,
      ...declared,
      status: 'error',
      reason: 'spec_error',
      message: `${facts.errorPlace ?? facts.place}: "${facts.title}" threw: ${firstLine(facts.error ?? 'an error', 200)}`,
      evidence,
    };
  }
  return { ...finding, ...declared, evidence };
}
