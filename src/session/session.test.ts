import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { embeddedEnvironment } from './session.js';

test('the embedded target environment follows --environment > VOR_ENVIRONMENT > .env > production', () => {
  const cwd = mkdtempSync(path.join(tmpdir(), 'vor-ctx-'));
  assert.equal(embeddedEnvironment({}, { env: {}, cwd }), 'production');
  writeFileSync(path.join(cwd, '.env'), 'VOR_ENVIRONMENT=qa\n');
  assert.equal(embeddedEnvironment({}, { env: {}, cwd }), 'qa');
  assert.equal(embeddedEnvironment({}, { env: { VOR_ENVIRONMENT: 'staging' }, cwd }), 'staging');
  assert.equal(embeddedEnvironment({ environment: 'dev' }, { env: { VOR_ENVIRONMENT: 'staging' }, cwd }), 'dev');
});
