import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateExposition } from './exposition.js';
import { createMetrics } from './registry.js';

describe('validateExposition', () => {
  it('accepts what the monitor registry renders', async () => {
    const metrics = createMetrics();
    metrics.checkStatus.set({ target: 'https://a.test', check: 'headers.hsts' }, 1);
    metrics.probeRequestDuration.observe({ target: 'https://a.test', check: 'health.endpoint' }, 0.2);
    assert.deepEqual(validateExposition(await metrics.registry.metrics()), []);
  });

  it('names the line of each problem', () => {
    const problems = validateExposition(
      ['# TYPE up gauge', 'up 1', 'up{job="x" 1', 'down 1', '# TYPE up counter', 'up{job="x"} one', '<html>'].join('\n'),
    );
    assert.deepEqual(problems, [
      'line 3: not a sample line: up{job="x" 1',
      'line 4: sample down has no TYPE',
      'line 5: second TYPE line for up',
      'line 6: "one" is not a sample value',
      'line 7: not a sample line: <html>',
    ]);
  });

  it('rejects a body with no metric families (an HTML error page, an empty answer)', () => {
    assert.deepEqual(validateExposition(''), ['no metric families (no # TYPE lines)']);
  });
});
