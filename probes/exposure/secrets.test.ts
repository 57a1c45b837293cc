import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { test } from 'node:test';
import { secretLintProfiler } from '@secretlint/profiler';
import { findSecretsInCode } from './secrets.js';

const LEAKY_SCRIPT = `const stripe = Stripe("sk_live_${'a1B2c3D4e5'.repeat(3)}");`;

test('scanning many scripts, some at once, leaves nothing behind in the profiler or the performance timeline', async () => {
  for (let round = 0; round < 20; round += 1) {
    const found = await Promise.all([findSecretsInCode(LEAKY_SCRIPT), findSecretsInCode('const x = 1;'), findSecretsInCode(LEAKY_SCRIPT)]);
    assert.deepEqual(
      found.map((f) => f.map((m) => m.kind)),
      [['stripe_secret_key_live'], [], ['stripe_secret_key_live']],
    );
  }
  assert.equal(performance.getEntriesByType('mark').length, 0, "Node's timeline keeps no secretlint marks");
  assert.equal(performance.getEntriesByType('measure').length, 0, "Node's timeline keeps no secretlint measures");
  assert.equal((await secretLintProfiler.getEntries()).length, 0, "secretlint's profiler keeps no marks");
  assert.equal((await secretLintProfiler.getMeasures()).length, 0, "secretlint's profiler keeps no measures");
});
