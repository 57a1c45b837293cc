import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LoadRecorder } from './sample.js';
import { defaultThresholds, type Threshold } from './scenarios/types.js';
import { evaluateThreshold } from './thresholds.js';

const ctx = { scenario: 'browse', origin: 'https://127.0.0.1:8443', windowSeconds: 1, windowBreachFails: false };
const p95 = defaultThresholds(10).find((t) => t.id === 'load.latency_p95') as Threshold;
const errorRate = defaultThresholds(10).find((t) => t.id === 'load.error_rate') as Threshold;
const throughput = defaultThresholds(10).find((t) => t.id === 'load.throughput') as Threshold;

test('defaults come from the rollback triggers: p95 below 3 s, error rate below 5 %', () => {
  assert.deepEqual(p95, { id: 'load.latency_p95', metric: 'latencyP95Seconds', below: 3 });
  assert.deepEqual(errorRate, { id: 'load.error_rate', metric: 'errorRatio', below: 0.05 });
});

function sampleOf(windows: readonly { latencyMs: number; failed: number; count: number }[]) {
  const recorder = new LoadRecorder(1000, 0);
  windows.forEach((w, i) => {
    for (let n = 0; n < w.count; n += 1) recorder.record(w.latencyMs, n < w.failed ? '503' : '200', n < w.failed, i * 1000 + 500);
  });
  return recorder.snapshot(windows.length * 1000);
}

test('a slow run fails p95 with the measured value and the limit as evidence', () => {
  const finding = evaluateThreshold(sampleOf([{ latencyMs: 3500, failed: 0, count: 50 }]), p95, ctx);
  assert.equal(finding.status, 'fail');
  assert.equal(finding.reason, 'above_limit');
  assert.equal(finding.evidence.limit, 3);
  assert.ok(Math.abs((finding.evidence.value as number) - 3.5) < 0.01);
  assert.match(finding.message, /p95 latency 3\.50 s breaks p95 latency < 3\.00 s/);
});

test('a run that holds overall but breaks in one window warns, naming the window', () => {
  const sample = sampleOf([
    { latencyMs: 5, failed: 0, count: 100 },
    { latencyMs: 5, failed: 30, count: 100 },
    { latencyMs: 5, failed: 0, count: 500 },
  ]);
  assert.ok(sample.overall.errorRatio < 0.05);
  const finding = evaluateThreshold(sample, errorRate, ctx);
  assert.equal(finding.status, 'warn');
  assert.equal(finding.reason, 'window_breach');
  assert.deepEqual(finding.evidence.breachedWindows, [{ startSeconds: 1, value: 0.3 }]);
  assert.equal(evaluateThreshold(sample, errorRate, { ...ctx, windowBreachFails: true }).status, 'fail');
});

test('windows with too few requests do not judge ratios', () => {
  const sample = sampleOf([
    { latencyMs: 5, failed: 0, count: 400 },
    { latencyMs: 5, failed: 5, count: 10 },
  ]);
  assert.equal(evaluateThreshold(sample, errorRate, ctx).status, 'pass');
});

test('throughput is a floor', () => {
  assert.equal(evaluateThreshold(sampleOf([{ latencyMs: 5, failed: 0, count: 5 }]), throughput, ctx).status, 'fail');
  assert.equal(evaluateThreshold(sampleOf([{ latencyMs: 5, failed: 0, count: 50 }]), throughput, ctx).status, 'pass');
});

test('a run where nothing completed fails rather than passing vacuously', () => {
  const finding = evaluateThreshold(new LoadRecorder(1000, 0).snapshot(1000), p95, ctx);
  assert.equal(finding.status, 'fail');
  assert.equal(finding.reason, 'no_requests');
});

test('an error rate broken by requests without an answer names their cause', () => {
  const recorder = new LoadRecorder(1000, 0);
  const untrusted = Object.assign(new Error('self-signed certificate in certificate chain'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' });
  for (let i = 0; i < 20; i += 1) recorder.recordError(untrusted, 100);
  const finding = evaluateThreshold(recorder.snapshot(1000), errorRate, ctx);
  assert.equal(finding.status, 'fail');
  assert.match(
    finding.message,
    /error rate 100\.00 % breaks .*; without an answer: 20 tls_handshake_failed \(first: SELF_SIGNED_CERT_IN_CHAIN: self-signed certificate in certificate chain\)$/,
  );
  assert.deepEqual(finding.evidence.failureCauses, [
    { reason: 'tls_handshake_failed', count: 20, example: 'SELF_SIGNED_CERT_IN_CHAIN: self-signed certificate in certificate chain' },
  ]);
});
