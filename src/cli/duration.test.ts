import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../config/errors.js';
import { parseDurationMs } from './duration.js';

const cases: { value: string; ms: number }[] = [
  { value: '30s', ms: 30_000 },
  { value: '5m', ms: 300_000 },
  { value: '1h', ms: 3_600_000 },
  { value: '600', ms: 600_000 },
  { value: '1500ms', ms: 1_500 },
];

for (const c of cases) {
  test(`duration "${c.value}" is ${c.ms} ms (a bare number is seconds)`, () => {
    assert.equal(parseDurationMs(c.value, '--for'), c.ms);
  });
}

test('a duration that is not one names its flag', () => {
  assert.throws(
    () => parseDurationMs('soon', '--for'),
    (error: unknown) => error instanceof ConfigError && /^--for: "soon" is not a duration/.test(error.message),
  );
  assert.throws(() => parseDurationMs('0', '--interval', { min: 1000 }), /--interval/);
});

test('an empty or overlong duration is a usage error naming its flag, not an internal error', () => {
  for (const [value, flag] of [
    ['', '--for'],
    ['  ', '--interval'],
    ['1'.repeat(101) + 's', '--duration'],
  ] as const) {
    assert.throws(
      () => parseDurationMs(value, flag),
      (error: unknown) => error instanceof ConfigError && error.problems[0]?.source === flag,
      JSON.stringify(value),
    );
  }
});
