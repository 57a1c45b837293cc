import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLoadProgress, progressBar } from './progress.js';
import type { LoadWindow } from './sample.js';

function window(startSeconds: number, endSeconds: number, requests: number, errorRatio = 0): LoadWindow {
  const durationSeconds = endSeconds - startSeconds;
  return {
    startSeconds,
    endSeconds,
    requests,
    failed: Math.round(requests * errorRatio),
    errorRatio,
    requestsPerSecond: requests / durationSeconds,
    durationSeconds,
    latency: { p50: 0.004, p90: 0.008, p95: 0.012, p99: 0.03, max: 0.05, mean: 0.005 },
    outcomes: { '200': requests },
  };
}

test('each window line shows elapsed of planned time, a bar, the current rate and the requests so far', () => {
  const line = createLoadProgress(30);
  const first = line(window(0, 6, 600), [], 'browse');
  const second = line(window(6, 12, 1470), ['load.latency_p95'], 'browse');
  assert.match(first, /^\[load\] browse {2}6 s \/ 30 s \[====>-{15}\] {2}20 % {2}now 100\.0 req\/s, 600 req so far; window 0–6 s: p95 /);
  assert.match(second, /12 s \/ 30 s \[========>-{11}\] {2}40 % {2}now 245\.0 req\/s, 2070 req so far;/);
  assert.match(second, /BREACH load\.latency_p95$/);
});

test('a capacity search adds its phases up: each rate counts its windows from 0, the clock goes on', () => {
  const line = createLoadProgress(8);
  line(window(0, 2, 20), [], '10 req/s');
  const next = line(window(0, 2, 40), [], '20 req/s');
  assert.match(next, /^\[load\] 20 req\/s {2}4 s \/ 8 s \[=+>-+\] {2}50 % {2}now 20\.0 req\/s, 60 req so far/);
  const last = line(window(0, 5, 50), [], '40 req/s');
  assert.match(last, /8 s \/ 8 s \[={20}\] 100 %/, 'never past the plan');
});

test('the bar is always as wide, empty to full', () => {
  for (const f of [0, 0.01, 0.5, 0.99, 1, 2]) assert.equal(progressBar(f).length, 22, String(f));
  assert.equal(progressBar(0), `[>${'-'.repeat(19)}]`);
  assert.equal(progressBar(1), `[${'='.repeat(20)}]`);
});
