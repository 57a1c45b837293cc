import assert from 'node:assert/strict';
import test from 'node:test';
import { CheckIdSchema } from './check-id-schema.js';
import { finalizeFindings } from './finalize.js';
import { createRedactor } from './redact.js';
import { fail, pass } from './result.js';

const finalize = (
  findings: Parameters<typeof finalizeFindings>[0]['findings'],
  declared: Parameters<typeof finalizeFindings>[0]['declared'],
) => finalizeFindings({ declared, findings, target: 'https://127.0.0.1', durationMs: 3, redactor: createRedactor([]), strict: true });

test('a custom check keeps the severity and checklist items it declares; a built-in id takes the catalogue’s', () => {
  const [custom, builtin] = finalize(
    [
      {
        ...fail('custom.balance_today', 'assertion_failed', 'balance is stale'),
        severity: 'critical',
        checklist: ['Critical Flows: Dashboard loads'],
      },
      pass('headers.hsts', 'HSTS present'),
    ],
    ['custom.balance_today', 'headers.hsts'],
  );
  assert.equal(custom?.severity, 'critical');
  assert.deepEqual(custom?.checklist, ['Critical Flows: Dashboard loads']);
  assert.equal(custom?.reason, 'assertion_failed');
  assert.equal(builtin?.severity, 'high');
  assert.ok((builtin?.checklist.length ?? 0) > 0);
});

test('a custom check that declares nothing is high severity with no checklist item, and still one record', () => {
  const [custom] = finalize([pass('custom.ping', 'ok')], ['custom.ping']);
  assert.equal(custom?.severity, 'high');
  assert.deepEqual(custom?.checklist, []);
});

test('record ids are a checks.md id or custom.<name>, nothing else', () => {
  for (const ok of ['headers.hsts', 'custom.balance_today', 'custom.api.v2-health']) assert.ok(CheckIdSchema.safeParse(ok).success, ok);
  for (const bad of ['custom.', 'custom.Bad Name', 'headers.unknown', 'balance', '']) assert.ok(!CheckIdSchema.safeParse(bad).success, bad);
});
