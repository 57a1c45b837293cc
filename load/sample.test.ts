import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LoadRecorder } from './sample.js';

test('records milliseconds and reports seconds, overall and per window', () => {
  const recorder = new LoadRecorder(1000, 0);
  for (let i = 0; i < 99; i += 1) recorder.record(10, '200', false, 500);
  recorder.record(2000, '503', true, 1500);
  const sample = recorder.snapshot(2000);
  assert.equal(sample.overall.requests, 100);
  assert.equal(sample.overall.failed, 1);
  assert.equal(sample.overall.errorRatio, 0.01);
  assert.equal(sample.overall.requestsPerSecond, 50);
  assert.ok(Math.abs(sample.overall.latency.p50 - 0.01) < 0.0001);
  assert.ok(Math.abs(sample.overall.latency.max - 2) < 0.01);
  assert.deepEqual(sample.overall.outcomes, { '200': 99, '503': 1 });
  assert.equal(sample.windows.length, 2);
  assert.equal(sample.windows[0]?.requests, 99);
  assert.equal(sample.windows[1]?.failed, 1);
  assert.ok(Math.abs((sample.windows[1]?.latency.p99 ?? 0) - 2) < 0.01);
});

test('a window closes on the timer even when nothing completes (a stalled server)', () => {
  const recorder = new LoadRecorder(1000, 0);
  const closed: number[] = [];
  recorder.onWindow((w) => closed.push(w.startSeconds));
  recorder.record(5, '200', false, 100);
  recorder.tick(3500);
  assert.deepEqual(closed, [0, 1, 2]);
});

test('requests without an answer count as failed but not as latency', () => {
  const recorder = new LoadRecorder(1000, 0);
  recorder.record(undefined, 'error', true, 10);
  recorder.record(4, '200', false, 10);
  const sample = recorder.snapshot(1000);
  assert.equal(sample.overall.requests, 2);
  assert.equal(sample.overall.errorRatio, 0.5);
  assert.ok(sample.overall.latency.max < 0.01);
});

test('the mean latency is exact, per window and over the run, and leaves out unanswered requests', () => {
  const recorder = new LoadRecorder(1000, 0);
  recorder.record(1, '200', false, 100);
  recorder.record(2.5, '200', false, 200);
  recorder.record(undefined, 'error', true, 300);
  recorder.record(8.5, '200', false, 1200);
  const sample = recorder.snapshot(2000);
  assert.equal(sample.windows[0]?.latency.mean, 0.00175);
  assert.equal(sample.windows[1]?.latency.mean, 0.0085);
  assert.equal(sample.overall.latency.mean, 0.004);
});

test('a request that failed without an answer keeps its cause: counted by kind, the first message of each kept', () => {
  const recorder = new LoadRecorder(1000, 0);
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
  for (let i = 0; i < 3; i += 1) recorder.recordError(refused, 10);
  recorder.recordError(Object.assign(new Error('unable to verify the first certificate'), { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }), 20);
  recorder.record(4, '200', false, 30);
  const sample = recorder.snapshot(1000);
  assert.deepEqual(sample.overall.outcomes, { '200': 1, error: 4 });
  assert.equal(sample.overall.failed, 4);
  assert.deepEqual(sample.failureCauses, [
    { reason: 'connection_refused', count: 3, example: 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9' },
    { reason: 'tls_handshake_failed', count: 1, example: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE: unable to verify the first certificate' },
  ]);
  recorder.restart(2000);
  assert.equal(recorder.snapshot(3000).failureCauses, undefined, 'a restart starts the causes over');
});
