import type { Evidence, Finding, JsonValue } from '../src/core/result.js';
import type { CheckId } from '../src/core/catalogue.js';

/** What the reporter knows about one test, reduced to plain data (so the mapping is a pure function). */
export interface TestOutcome {
  readonly id: CheckId;
  readonly title: string;
  readonly origin: string;
  readonly outcome: 'skipped' | 'expected' | 'unexpected' | 'flaky';
  /** Status of each attempt, first to last. */
  readonly attempts: readonly ('passed' | 'failed' | 'timedOut' | 'skipped' | 'interrupted')[];
  /** The finding a budget-style test attached on its last attempt. */
  readonly finding?: Finding;
  /** First error of the last attempt (the first failing attempt for a flaky test). */
  readonly error?: string;
  readonly failedStep?: string;
  /** Reason recorded by expectStep on the last attempt. */
  readonly reason?: string;
  readonly skipNote?: string;
  /** When the test did not run because a setup test failed: that failure. */
  readonly setupFailure?: string;
  readonly collected?: Evidence;
}

const NETWORK_REASONS: readonly [RegExp, string][] = [
  [/ERR_CONNECTION_REFUSED/, 'connection_refused'],
  [/ERR_CONNECTION_RESET|ERR_CONNECTION_CLOSED|ERR_EMPTY_RESPONSE/, 'connection_reset'],
  [/ERR_NAME_NOT_RESOLVED/, 'dns_failed'],
  [/ERR_CERT_|ERR_SSL_/, 'tls_handshake_failed'],
  [/ERR_TIMED_OUT|ERR_CONNECTION_TIMED_OUT/, 'timeout'],
];

// eslint-disable-next-line no-control-regex
const stripAnsi = (text: string): string => text.replace(/\u001b\[[0-9;]*m/g, '');
export const firstLine = (text: string, max = 300): string => {
  const line = stripAnsi(text).trim().split('\n')[0] ?? '';
  return line.length > max ? `${line.slice(0, max)}…` : line;
};

function evidenceOf(outcome: TestOutcome): Evidence {
  const evidence: Record<string, JsonValue> = { test: outcome.title, attempts: outcome.attempts.length };
  if (outcome.failedStep !== undefined) evidence.step = outcome.failedStep;
  if (outcome.error !== undefined) evidence.error = stripAnsi(outcome.error).slice(0, 600);
  return { ...evidence, ...outcome.collected };
}

/** Playwright's verdict on one test → the contract's finding (checks.md statuses). */
export function findingOf(outcome: TestOutcome): Finding {
  const { id, title, origin } = outcome;
  const evidence = evidenceOf(outcome);
  if (outcome.setupFailure !== undefined) {
    return {
      id,
      status: 'error',
      reason: 'setup_failed',
      message: `${title}: not run, the setup failed on ${origin}: ${firstLine(outcome.setupFailure)}`,
      evidence,
    };
  }
  if (outcome.attempts.length === 0) {
    if (outcome.skipNote !== undefined) return skipFinding(outcome, evidence);
    return {
      id,
      status: 'error',
      reason: 'not_run',
      message: `${title}: not run on ${origin} (the run was interrupted or timed out)`,
      evidence,
    };
  }
  if (outcome.outcome === 'skipped') return skipFinding(outcome, evidence);
  if (outcome.outcome === 'flaky') {
    return {
      id,
      status: 'warn',
      reason: 'flaky',
      message: `${title}: passed only on retry ${outcome.attempts.length - 1} on ${origin}${outcome.error === undefined ? '' : ` (first failure: ${firstLine(outcome.error, 160)})`}`,
      evidence: { ...evidence, ...(outcome.finding?.evidence ?? {}) },
    };
  }
  if (outcome.finding !== undefined) return { ...outcome.finding, id, evidence: { ...outcome.finding.evidence, ...outcome.collected } };
  if (outcome.outcome === 'expected')
    return {
      id,
      status: 'pass',
      message: `${title} on ${origin}`,
      evidence: { test: title, attempts: outcome.attempts.length, ...outcome.collected },
    };

  const last = outcome.attempts.at(-1);
  const error = outcome.error ?? '';
  const network = NETWORK_REASONS.find(([pattern]) => pattern.test(error));
  if (outcome.reason === undefined && network !== undefined) {
    return { id, status: 'error', reason: network[1], message: `${title}: could not reach ${origin}: ${firstLine(error, 200)}`, evidence };
  }
  const reason = outcome.reason ?? (last === 'timedOut' ? 'timeout' : last === 'interrupted' ? 'interrupted' : 'assertion_failed');
  const where = outcome.failedStep === undefined ? '' : ` at "${outcome.failedStep}"`;
  return { id, status: 'fail', reason, message: `${title}: failed${where} on ${origin}: ${firstLine(error, 200)}`, evidence };
}

function skipFinding(outcome: TestOutcome, evidence: Evidence): Finding {
  const note = outcome.skipNote ?? 'skipped';
  const match = /^([a-z][a-z0-9_]*): (.+)$/s.exec(note);
  return {
    id: outcome.id,
    status: 'skip',
    reason: match?.[1] ?? 'skipped',
    message: `${outcome.title}: ${match?.[2] ?? note}`,
    evidence,
  };
}

// A skipped test (say, no credentials) does not hide a sibling that ran and passed.
const RANK: Readonly<Record<Finding['status'], number>> = { skip: 0, pass: 1, warn: 2, fail: 3, error: 4 };

/** Several tests may answer for one id (e.g. one per page); the worst result speaks for the id. */
export function worstOf(findings: readonly Finding[]): Finding | undefined {
  return findings.reduce<Finding | undefined>(
    (worst, f) => (worst === undefined || RANK[f.status] > RANK[worst.status] ? f : worst),
    undefined,
  );
}
