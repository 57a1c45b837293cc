import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { BIN, runCli } from './helpers/cli.js';

const reportsDir = mkdtempSync(path.join(tmpdir(), 'vor-load-cli-'));
const env = { VOR_REPORTS_DIR: reportsDir, VOR_BASE_URL: undefined, VOR_CONFIG: undefined, VOR_ENVIRONMENT: undefined };
const latest = () => realpathSync(path.join(reportsDir, 'latest'));

describe('vor-watch load', () => {
  after(() => rmSync(reportsDir, { recursive: true, force: true }));

  test('with no --target: browse on the embedded target, live progress, thresholds met, report written', { timeout: 40_000 }, async () => {
    const first = await runCli(['load', '--duration', '3'], { env, timeoutMs: 35_000 });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /started the embedded reference target/);
    assert.match(first.stderr, /^\[load\] browse {2}1 s \/ 3 s \[=+>-+\] +33 % {2}now [\d.]+ req\/s, \d+ req so far; window 0–1 s: p95 /m);
    assert.match(first.stdout, /^GO /m);
    const dir = latest();
    const summary = JSON.parse(readFileSync(path.join(dir, 'summary.json'), 'utf8')) as {
      verdict: string;
      results: { id: string; status: string }[];
    };
    assert.equal(summary.verdict, 'pass');
    assert.deepEqual(
      summary.results.map((r) => r.id),
      ['load.latency_p95', 'load.latency_p99', 'load.error_rate', 'load.throughput'],
    );
    assert.match(readFileSync(path.join(dir, 'junit.xml'), 'utf8'), /load\.latency_p95/);
    assert.match(readFileSync(path.join(dir, 'index.html'), 'utf8'), /load\.html/);
    const loadJson = JSON.parse(readFileSync(path.join(dir, 'load.json'), 'utf8')) as { engine: string; sample: { windows: unknown[] } };
    assert.ok(loadJson.sample.windows.length >= 3);
    assert.equal(loadJson.engine, 'vor-watch');

    // A second run compared with the first: the Markdown carries the comparison.
    const second = await runCli(['load', '--duration', '2', '--baseline', path.join(dir, 'load.json')], { env, timeoutMs: 35_000 });
    assert.notEqual(second.code, 2, second.stderr);
    assert.match(readFileSync(path.join(latest(), 'load.md'), 'utf8'), /## Compared with the baseline of /);
  });

  test('Ctrl-C stops the run and writes the partial report, with no verdict from it (NO-GO, exit 1)', { timeout: 40_000 }, async () => {
    const child = spawn(process.execPath, [BIN, 'load', '--duration', '20'], {
      env: { ...process.env, ...env, VOR_REPORTS_DIR: reportsDir, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    let signalledAt = 0;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      stderr += d;
      if (signalledAt === 0 && /\[load\] browse .* window 0–\d+ s/.test(stderr)) {
        signalledAt = performance.now();
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => {
      const guard = setTimeout(() => child.kill('SIGKILL'), 35_000);
      child.on('close', (c) => {
        clearTimeout(guard);
        resolve(c);
      });
    });
    // From the Ctrl-C, sent at the first window (4 s in): start-up on a busy machine is no part of it.
    assert.ok(signalledAt > 0, `the load never started:\n${stderr}`);
    assert.ok(performance.now() - signalledAt < 10_000, 'stopped well before the 20 s planned');
    assert.equal(code, 1, `an interrupted load is NO-GO:\n${stdout}\n${stderr}`);
    assert.match(stdout, /^NO-GO/m);
    assert.match(stderr, /stopping the load/);
    const summary = JSON.parse(readFileSync(path.join(latest(), 'summary.json'), 'utf8')) as {
      verdict: string;
      results: { id: string; status: string; reason?: string; message: string }[];
    };
    assert.equal(summary.verdict, 'fail');
    for (const r of summary.results) {
      assert.equal(r.status, 'error', `${r.id}: ${r.message}`);
      assert.equal(r.reason, 'interrupted');
      assert.match(r.message, /interrupted \(SIGINT\/SIGTERM\) after [\d.]+ s of 20 s/);
    }
    const report = JSON.parse(readFileSync(path.join(latest(), 'load.json'), 'utf8')) as {
      interrupted: boolean;
      sample: { overall: { requests: number } };
    };
    assert.equal(report.interrupted, true);
    assert.ok(report.sample.overall.requests > 0);
  });

  test('--engine autocannon runs the closed model on autocannon, and the report says so', { timeout: 40_000 }, async () => {
    const run = await runCli(['load', '--duration', '2', '--engine', 'autocannon'], { env, timeoutMs: 35_000 });
    assert.equal(run.code, 0, run.stderr);
    const loadJson = JSON.parse(readFileSync(path.join(latest(), 'load.json'), 'utf8')) as {
      engine: string;
      sample: { overall: { requests: number; failed: number } };
    };
    assert.equal(loadJson.engine, 'autocannon');
    assert.ok(loadJson.sample.overall.requests > 0);
    assert.equal(loadJson.sample.overall.failed, 0);
    assert.match(readFileSync(path.join(latest(), 'load.md'), 'utf8'), /closed model, 10 connections \(autocannon\)/);
    assert.match(readFileSync(path.join(latest(), 'load.html'), 'utf8'), /closed model, 10 connections \(autocannon\)/);
  });

  const usage: [string, string[], RegExp][] = [
    ['an unknown engine', ['--engine', 'wrk'], /--engine: "wrk" is not an engine; use vor-watch or autocannon/],
    ['autocannon for the open model', ['--engine', 'autocannon', '--rate', '100'], /--engine: autocannon runs the closed model only/],
    [
      'an unknown scenario',
      ['--scenario', 'checkout'],
      /--scenario: "checkout" is not a scenario; use one of browse, api-read, login, mixed/,
    ],
    ['a bad duration', ['--duration', 'forever'], /--duration/],
    ['a duration beyond the bound', ['--duration', '100000'], /--duration/],
    ['a zero rate', ['--rate', '0'], /--rate/],
    ['zero connections', ['--connections', '0'], /--connections/],
    ['a missing baseline', ['--baseline', '/nonexistent/load.json'], /--baseline: cannot read/],
    ['a production target', ['--target', 'https://127.0.0.1:9', '--environment', 'production'], /--allow-production/],
    ['a target with no environment (production by default)', ['--target', 'https://127.0.0.1:9'], /--allow-production/],
  ];
  for (const [what, args, message] of usage) {
    test(`refuses ${what} with exit 2 naming the flag`, { timeout: 15_000 }, async () => {
      const run = await runCli(['load', ...args], { env, timeoutMs: 12_000 });
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, message);
      assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
    });
  }
});
