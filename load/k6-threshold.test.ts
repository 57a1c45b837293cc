import assert from 'node:assert/strict';
import { test } from 'node:test';
import { thresholdsOf, ThresholdConfigError } from './config-thresholds.js';
import { parseThresholdExpression, ThresholdSyntaxError } from './k6-threshold.js';

test('k6 threshold expressions parse into aggregation, operator and value', () => {
  const table: [string, ReturnType<typeof parseThresholdExpression>][] = [
    ['p(95)<500', { aggregation: 'p(95)', percentile: 95, operator: '<', value: 500 }],
    ['p(99.9) <= 1500', { aggregation: 'p(99.9)', percentile: 99.9, operator: '<=', value: 1500 }],
    ['  avg < 200  ', { aggregation: 'avg', operator: '<', value: 200 }],
    ['med>=1e2', { aggregation: 'med', operator: '>=', value: 100 }],
    ['rate<0.01', { aggregation: 'rate', operator: '<', value: 0.01 }],
    ['rate>100', { aggregation: 'rate', operator: '>', value: 100 }],
    ['count>=500', { aggregation: 'count', operator: '>=', value: 500 }],
    ['rate===0', { aggregation: 'rate', operator: '===', value: 0 }],
    ['rate == 0', { aggregation: 'rate', operator: '==', value: 0 }],
    ['max!=0', { aggregation: 'max', operator: '!=', value: 0 }],
    ['min>.5', { aggregation: 'min', operator: '>', value: 0.5 }],
    ['value<10', { aggregation: 'value', operator: '<', value: 10 }],
    ['p( 90 )<300', { aggregation: 'p(90)', percentile: 90, operator: '<', value: 300 }],
  ];
  for (const [text, expected] of table) assert.deepEqual(parseThresholdExpression(text), expected, text);
});

test('bad expressions say what is wrong and what k6 expects', () => {
  const table: [string, RegExp][] = [
    ['', /is empty/],
    ['p95<500', /"p95<500" is not an aggregation.*write p\(95<500\)|"p95" is not an aggregation.*write p\(95\)/],
    ['average<500', /"average" is not an aggregation; use avg, min, max, med, count, rate, value or p\(N\)/],
    ['p(101)<5', /percentile must be a number from 0 to 100/],
    ['p()<5', /percentile must be a number/],
    ['p(abc)<5', /percentile must be a number/],
    ['p(95)', /has no operator after p\(95\)/],
    ['p(95)=>500', /"=>500" does not start with an operator/],
    ['p(95)=500', /"=500" does not start with an operator/],
    ['p(95)<', /has no value after p\(95\)</],
    ['p(95)<fast', /"fast" is not a number/],
    ['p(95)<500ms', /take a plain number, no unit \(durations are milliseconds: p\(95\)<500 means 500 ms\)/],
    ['p(95)<1s', /no unit/],
    ['rate<1%', /no unit/],
    ['p(95)<500 && avg<200', /unexpected "&& avg<200"/],
    ['avgx<1', /"avgx<1" is not an aggregation|"avgx" is not an aggregation/],
  ];
  for (const [text, message] of table) {
    assert.throws(
      () => parseThresholdExpression(text),
      (e: unknown) => e instanceof ThresholdSyntaxError && message.test(e.message),
      text,
    );
  }
});

test('config thresholds map to the load.* ids where the figure matches, custom.load.* otherwise, in seconds', () => {
  const thresholds = thresholdsOf({
    http_req_duration: ['p(95)<500', { threshold: 'p(99)<1500', abortOnFail: true, delayAbortEval: '10s' }, 'avg<=200', 'med<100'],
    http_req_failed: ['rate<0.01', { threshold: 'rate<0.5', abortOnFail: true }],
    http_reqs: ['rate>100', 'count>=1000'],
    checks: ['rate>0.99'],
  });
  assert.deepEqual(
    thresholds.map((t) => ({ ...t, k6: undefined })),
    [
      { id: 'load.latency_p95', metric: 'latencyP95Seconds', below: 0.5, k6: undefined },
      { id: 'load.latency_p99', metric: 'latencyP99Seconds', below: 1.5, abortOnFail: true, delayAbortEvalSeconds: 10, k6: undefined },
      { id: 'custom.load.http_req_duration_avg', metric: 'latencyMeanSeconds', op: '<=', limit: 0.2, k6: undefined },
      { id: 'custom.load.http_req_duration_med', metric: 'latencyP50Seconds', below: 0.1, k6: undefined },
      { id: 'load.error_rate', metric: 'errorRatio', below: 0.01, k6: undefined },
      // The same figure again (k6's "abort at 50 %" companion) gets its own id.
      { id: 'custom.load.http_req_failed_rate', metric: 'errorRatio', below: 0.5, abortOnFail: true, k6: undefined },
      { id: 'load.throughput', metric: 'requestsPerSecond', op: '>', limit: 100, k6: undefined },
      { id: 'custom.load.http_reqs_count', metric: 'requestCount', above: 1000, k6: undefined },
      { id: 'custom.load.checks_rate', metric: 'checksRatio', op: '>', limit: 0.99, k6: undefined },
    ],
  );
  assert.deepEqual(thresholds[0]?.k6, { metric: 'http_req_duration', expression: 'p(95)<500' });
});

test('thresholds vor-watch cannot judge name the metric and entry, and why', () => {
  const table: [Parameters<typeof thresholdsOf>[0], (string | number)[], RegExp][] = [
    [
      { http_req_duration: ['rate<0.1'] },
      ['http_req_duration', 0],
      /rate does not apply to http_req_duration \(a k6 Trend: avg, min, max, med or p\(N\)\)/,
    ],
    [{ http_req_failed: ['p(95)<1'] }, ['http_req_failed', 0], /p\(95\) does not apply to http_req_failed \(a k6 Rate: rate\)/],
    [{ http_req_duration: ['min<10'] }, ['http_req_duration', 0], /judges avg, med, max, p\(50\), p\(90\), p\(95\) and p\(99\).*not min/],
    [{ http_req_duration: ['p(97.5)<10'] }, ['http_req_duration', 0], /not p\(97\.5\)/],
    [
      { http_req_waiting: ['p(95)<10'] },
      ['http_req_waiting'],
      /is not a metric vor-watch measures; use http_req_duration, http_req_failed, http_reqs, checks/,
    ],
    [{ 'http_req_duration{name:login}': ['p(95)<10'] }, ['http_req_duration{name:login}'], /sub-metrics/],
    [{ http_req_duration: ['p(95)<500', { threshold: 'p(95)<5s' }] }, ['http_req_duration', 1, 'threshold'], /"p\(95\)<5s": .*no unit/],
    [
      { http_req_failed: [{ threshold: 'rate<0.1', abortOnFail: true, delayAbortEval: 'soon' }] },
      ['http_req_failed', 0, 'delayAbortEval'],
      /"soon" is not a k6 duration/,
    ],
  ];
  for (const [config, where, message] of table) {
    assert.throws(
      () => thresholdsOf(config),
      (e: unknown) => e instanceof ThresholdConfigError && message.test(e.message) && JSON.stringify(e.path) === JSON.stringify(where),
      JSON.stringify(config),
    );
  }
});
