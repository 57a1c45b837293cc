import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FullConfig, Suite, TestCase, TestResult } from '@playwright/test/reporter';
import { createRedactor } from '../src/core/redact.js';
import { createProgress } from '../src/session/progress.js';
import { SMOKE_PROGRESS_ENV, tailSmokeProgress } from './progress-events.js';
import VorSmokeReporter from './reporter.js';

const SECRET = 'Zebra-Quartz-9931';

/** Just enough of Playwright's TestCase for the reporter: a test with no check declaration and its attempts. */
function fakeTest(title: string, retries = 1): TestCase {
  const results: TestResult[] = [];
  return {
    title,
    retries,
    results,
    annotations: [],
    tags: [],
    location: { file: '/suite/a.spec.ts', line: 1, column: 1 },
    parent: { project: () => undefined },
    outcome: () => 'expected',
    titlePath: () => [title],
  } as unknown as TestCase;
}

function attempt(test: TestCase, status: TestResult['status'], duration: number): TestResult {
  const result = {
    status,
    duration,
    retry: test.results.length,
    attachments: [],
    annotations: [],
    steps: [],
    errors: [],
  } as unknown as TestResult;
  (test.results as TestResult[]).push(result);
  return result;
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i += 1) await sleep(20);
  assert.ok(condition(), `timed out waiting for ${what}`);
}

test('each test is a progress line as soon as the reporter sees it end, in order, retries and all, titles redacted', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vor-progress-'));
  const file = path.join(dir, 'progress.jsonl');
  const tests = [fakeTest('home page loads'), fakeTest(`sign in as ${SECRET}`), fakeTest('transfer money')];
  const previous = process.env[SMOKE_PROGRESS_ENV];
  process.env[SMOKE_PROGRESS_ENV] = file;
  const reporter = new VorSmokeReporter({ resultsFile: path.join(dir, 'results.json') });
  if (previous === undefined) delete process.env[SMOKE_PROGRESS_ENV];
  else process.env[SMOKE_PROGRESS_ENV] = previous;

  const stderr = new PassThrough();
  let shown = '';
  stderr.on('data', (d: Buffer) => (shown += d.toString()));
  const progress = createProgress({ stdout: new PassThrough(), stderr, isTTY: false, env: {}, cwd: dir });
  progress.phase('browser flows and checks on https://shop.test');
  const tail = tailSmokeProgress(file, createRedactor([SECRET]), (event) => progress.test(event));
  try {
    reporter.onBegin(
      { projects: [{ use: { baseURL: 'https://shop.test' } }] } as unknown as FullConfig,
      {
        allTests: () => tests,
      } as unknown as Suite,
    );
    const [home, signIn, transfer] = tests as [TestCase, TestCase, TestCase];

    reporter.onTestEnd(home, attempt(home, 'passed', 1_234));
    // Streamed: the first line is out while the other tests are still running.
    await until(() => shown.includes('[1/3]'), 'the first test line');
    assert.doesNotMatch(shown, /sign in|transfer/);

    reporter.onTestEnd(signIn, attempt(signIn, 'failed', 2_000));
    reporter.onTestEnd(signIn, attempt(signIn, 'passed', 900));
    reporter.onTestEnd(transfer, attempt(transfer, 'timedOut', 30_000));
    reporter.onTestEnd(transfer, attempt(transfer, 'timedOut', 30_000));
  } finally {
    await tail.stop();
  }
  assert.deepEqual(shown.trimEnd().split('\n'), [
    '[vor-watch] browser flows and checks on https://shop.test',
    '[vor-watch] [1/3] ✓ home page loads (1.2 s)',
    '[vor-watch]       ↻ sign in as [redacted] (2.0 s, failed; retrying)',
    '[vor-watch] [2/3] ✓ sign in as [redacted] (0.9 s, flaky: passed on a retry)',
    '[vor-watch]       ↻ transfer money (30.0 s, timedOut; retrying)',
    '[vor-watch] [3/3] ✗ transfer money (30.0 s, timed out)',
  ]);
});

test('a half-written last line waits for its end; a line that is not an event is skipped', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vor-progress-'));
  const file = path.join(dir, 'progress.jsonl');
  const { appendFileSync } = await import('node:fs');
  const seen: string[] = [];
  const tail = tailSmokeProgress(file, createRedactor([]), (event) => seen.push(event.title));
  const event = JSON.stringify({ title: 'ünïcode title', status: 'passed', durationMs: 5, retry: 0, willRetry: false, total: 2 });
  appendFileSync(file, 'not json\n{"title": 3}\n');
  appendFileSync(file, event.slice(0, 10));
  await sleep(400);
  assert.deepEqual(seen, []);
  appendFileSync(file, `${event.slice(10)}\n`);
  await until(() => seen.length === 1, 'the completed line');
  await tail.stop();
  assert.deepEqual(seen, ['ünïcode title']);
});
