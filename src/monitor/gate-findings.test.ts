import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TriggerState, TriggerStatus } from '../alerting/evaluator.js';
import type { TriggerId } from '../alerting/triggers.js';
import { decideVerdict } from '../core/verdict.js';
import { EXIT_GO, EXIT_NO_GO, gateExitCode } from '../session/exit-code.js';
import type { GateOutcome } from './gate.js';
import { gateFindings } from './gate-findings.js';

const ORIGIN = 'https://app.example.test';

function status(id: TriggerId, state: TriggerState): TriggerStatus {
  return { id, state, message: `${id} is ${state}`, evidence: { samples: 42 }, since: 0 };
}

function outcome(
  verdict: GateOutcome['verdict'],
  states: Partial<Record<TriggerId, TriggerState>>,
  extra: Partial<GateOutcome> = {},
): GateOutcome {
  const statuses = Object.entries(states).map(([id, state]) => status(id as TriggerId, state));
  return { verdict, undecided: [], elapsedMs: 12_345, finalStatuses: new Map([[ORIGIN, statuses]]), ...extra };
}

const allOk = { 'rollback.error_rate': 'ok', 'rollback.slow_responses': 'ok', 'rollback.health_failures': 'ok' } as const;

const cases: {
  name: string;
  outcome: GateOutcome;
  allowInconclusive?: boolean;
  expected: Record<TriggerId, string>;
}[] = [
  {
    name: 'a clean window: every trigger passes',
    outcome: outcome('clean', allOk),
    expected: { 'rollback.error_rate': 'pass', 'rollback.slow_responses': 'pass', 'rollback.health_failures': 'pass' },
  },
  {
    name: 'the health trigger fired: it fails, the others keep their state',
    outcome: outcome('fired', { ...allOk, 'rollback.health_failures': 'firing', 'rollback.slow_responses': 'insufficient_data' }),
    expected: {
      'rollback.error_rate': 'pass',
      'rollback.slow_responses': 'error/insufficient_data',
      'rollback.health_failures': 'fail/fired',
    },
  },
  {
    name: 'pending at the end of the window: a warning, not a failure',
    outcome: outcome('clean', { ...allOk, 'rollback.slow_responses': 'pending' }),
    expected: { 'rollback.error_rate': 'pass', 'rollback.slow_responses': 'warn/pending', 'rollback.health_failures': 'pass' },
  },
  {
    name: 'insufficient data is an error, never a pass',
    outcome: outcome('inconclusive', { ...allOk, 'rollback.error_rate': 'insufficient_data' }),
    expected: { 'rollback.error_rate': 'error/insufficient_data', 'rollback.slow_responses': 'pass', 'rollback.health_failures': 'pass' },
  },
  {
    name: 'insufficient data with --allow-inconclusive is a skip',
    outcome: outcome('inconclusive', { ...allOk, 'rollback.error_rate': 'insufficient_data' }),
    allowInconclusive: true,
    expected: { 'rollback.error_rate': 'skip/insufficient_data', 'rollback.slow_responses': 'pass', 'rollback.health_failures': 'pass' },
  },
  {
    name: 'a --for shorter than the latency window: slow responses are window_too_short, even when they looked ok',
    outcome: outcome(
      'inconclusive',
      { ...allOk, 'rollback.slow_responses': 'insufficient_data' },
      { tooShort: [{ id: 'rollback.slow_responses', requiredMs: 300_000, message: 'cannot be judged' }] },
    ),
    expected: { 'rollback.error_rate': 'pass', 'rollback.slow_responses': 'error/window_too_short', 'rollback.health_failures': 'pass' },
  },
  {
    name: 'window_too_short with --allow-inconclusive is a skip (exit 0)',
    outcome: outcome(
      'inconclusive',
      { ...allOk, 'rollback.slow_responses': 'insufficient_data' },
      { tooShort: [{ id: 'rollback.slow_responses', requiredMs: 300_000, message: 'cannot be judged' }] },
    ),
    allowInconclusive: true,
    expected: { 'rollback.error_rate': 'pass', 'rollback.slow_responses': 'skip/window_too_short', 'rollback.health_failures': 'pass' },
  },
  {
    name: 'a window cut short proves nothing: every trigger is an error',
    outcome: outcome('inconclusive', allOk, { interrupted: true }),
    allowInconclusive: true,
    expected: {
      'rollback.error_rate': 'error/interrupted',
      'rollback.slow_responses': 'error/interrupted',
      'rollback.health_failures': 'error/interrupted',
    },
  },
  {
    name: 'no cycle finished for the target: every trigger lacks data',
    outcome: { verdict: 'inconclusive', undecided: [], elapsedMs: 5_000, finalStatuses: new Map() },
    expected: {
      'rollback.error_rate': 'error/insufficient_data',
      'rollback.slow_responses': 'error/insufficient_data',
      'rollback.health_failures': 'error/insufficient_data',
    },
  },
];

for (const c of cases) {
  test(`gate findings: ${c.name}; the report's verdict agrees with the exit code`, () => {
    const allowInconclusive = c.allowInconclusive ?? false;
    const findings = gateFindings(c.outcome, ORIGIN, { allowInconclusive, forMs: 60_000 });
    const got = Object.fromEntries(findings.map((f) => [f.id, f.reason === undefined ? f.status : `${f.status}/${f.reason}`]));
    assert.deepEqual(got, c.expected);
    for (const f of findings) {
      assert.equal(f.evidence.windowSeconds, 60);
      assert.equal(f.evidence.elapsedSeconds, c.outcome.elapsedMs / 1000 === 12.345 ? 12.3 : 5);
    }
    const exit = gateExitCode(c.outcome, allowInconclusive);
    assert.equal(exit, decideVerdict(findings) === 'pass' ? EXIT_GO : EXIT_NO_GO);
  });
}

test('gate findings keep the trigger evidence (the numbers behind the decision)', () => {
  const [errorRate] = gateFindings(outcome('clean', allOk), ORIGIN, { allowInconclusive: false, forMs: 1000 });
  assert.equal(errorRate?.evidence.samples, 42);
});
