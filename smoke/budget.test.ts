import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRedactor } from '../src/core/redact.js';
import { buildTarget } from '../src/core/target.js';
import { DEFAULT_BUDGETS } from '../src/config/schema.js';
import type { SmokeResultsFile } from './results-file.js';
import { withUnfinished, type SmokeOptions } from './run.js';

const options: SmokeOptions = {
  target: buildTarget({ baseUrl: 'https://app.vor.test', publicApiPaths: [], routes: [] }),
  budgets: DEFAULT_BUDGETS,
  outputDir: '/nonexistent',
  redactor: createRedactor([]),
  env: {},
  grep: '@compliance',
  timeoutMs: 90_000,
};

// What the reporter leaves when the run is killed: the tests that ended, and every selected id.
const partial: SmokeResultsFile = {
  selected: ['compliance.privacy_policy', 'compliance.terms', 'flow.data_export'],
  findings: [
    { id: 'compliance.privacy_policy', status: 'pass', message: 'privacy policy linked', evidence: {} },
    { id: 'flow.data_export', status: 'fail', reason: 'export_invalid', message: 'not JSON', evidence: {} },
  ],
  durationsMs: { 'compliance.privacy_policy': 1200, 'flow.data_export': 4000 },
  artifacts: [],
  status: 'running',
};

test('when the budget runs out, finished tests keep their results and only unfinished ones become budget_exceeded', () => {
  const file = withUnfinished(partial, options, { code: null, output: '', timedOut: true, interrupted: false });
  const byId = new Map<string, (typeof file.findings)[number]>(file.findings.map((f) => [f.id, f]));
  assert.equal(byId.get('compliance.privacy_policy')?.status, 'pass');
  assert.equal(byId.get('flow.data_export')?.reason, 'export_invalid');
  // The grep's other ids that never reported are unfinished too.
  for (const id of ['compliance.terms', 'compliance.cookie_consent', 'compliance.cookies_before_consent']) {
    assert.equal(byId.get(id)?.status, 'error', id);
    assert.equal(byId.get(id)?.reason, 'budget_exceeded', id);
    assert.match(byId.get(id)!.message, /budget of 90 s ran out.*smoke\.budgetMs/);
  }
  assert.equal(new Set(file.findings.map((f) => f.id)).size, file.findings.length, 'one finding per id');
});

test('an interrupted run keeps what finished; the rest says it was interrupted', () => {
  const file = withUnfinished(partial, options, { code: null, output: '', timedOut: false, interrupted: true });
  assert.equal(file.findings.find((f) => f.id === 'compliance.privacy_policy')?.status, 'pass');
  assert.equal(file.findings.find((f) => f.id === 'compliance.terms')?.reason, 'interrupted');
});
