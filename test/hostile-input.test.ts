import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { main } from '../src/cli/main.js';
import { DEFAULT_BUDGETS, DEFAULT_PROBE_OPTIONS } from '../src/config/schema.js';
import type { Probe } from '../src/core/probe.js';
import { createRedactor } from '../src/core/redact.js';
import type { CheckResult } from '../src/core/result.js';
import { runProbes } from '../src/core/runner.js';
import { buildTarget } from '../src/core/target.js';
import { cookiesProbe } from '../probes/cookies/probe.js';
import { headersProbe } from '../probes/headers/probe.js';
import { healthProbe } from '../probes/health/probe.js';
import { BIN } from './helpers/cli.js';
import { behaviours, startHostile, startRecording } from './helpers/hostile.js';

const PASSWORD = 'hostile-input-password';
const SESSION_COOKIE = 'session-cookie-value-4f1c';
const BEARER = 'bearer-token-value-9a2e';

async function probe(baseUrl: string, probes: readonly Probe[], { signedIn = true } = {}): Promise<CheckResult[]> {
  return runProbes({
    target: buildTarget({ baseUrl, publicApiPaths: [], routes: [] }, signedIn ? { email: 'qa@vor.test', password: PASSWORD } : undefined),
    probes,
    options: { ...DEFAULT_PROBE_OPTIONS, timeoutMs: 3_000, healthTimeoutMs: 2_000, retries: 0 },
    budgets: DEFAULT_BUDGETS,
    redactor: createRedactor([PASSWORD]),
    strict: true,
  });
}

const byId = (results: readonly CheckResult[], id: string): CheckResult => {
  const result = results.find((r) => r.id === id);
  assert.ok(result !== undefined, `no result for ${id}`);
  return result;
};

test(
  'a redirect to another port of the same host gets no cookie or token, and /health is not judged on that service',
  { timeout: 20_000 },
  async () => {
    // The other service on the same host answers anything, healthily.
    const other = await startRecording((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}'));
    const site = await startRecording((req, res) => {
      const path = req.url ?? '/';
      if (path === '/health' || path === '/api/me' || path === '/api/accounts') {
        res.writeHead(302, { location: `${other.url}${path}` }).end();
      } else if (path === '/api/auth/login') {
        res
          .writeHead(200, {
            'content-type': 'application/json',
            'set-cookie': `vor_session=${SESSION_COOKIE}; Secure; HttpOnly; SameSite=Lax`,
          })
          .end(JSON.stringify({ accessToken: BEARER }));
      } else {
        res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>site</title>');
      }
    });
    try {
      const results = await probe(site.url, [headersProbe, healthProbe]);

      const reads = site.requests.filter((r) => r.path === '/api/me');
      assert.ok(
        reads.some((r) => r.headers.cookie?.includes(SESSION_COOKIE) === true),
        'the authenticated read went out with the session',
      );
      for (const request of other.requests) {
        assert.equal(request.headers.cookie, undefined, `${request.path} on the other port received the session cookie`);
        assert.equal(request.headers.authorization, undefined, `${request.path} on the other port received the bearer token`);
      }
      assert.equal(other.requests.length, 0, `the other service was asked ${other.requests.map((r) => r.path).join(', ')}`);

      const health = byId(results, 'health.endpoint');
      assert.notEqual(health.status, 'pass', health.message);
      assert.equal(health.status, 'error', health.message);
      assert.equal(health.reason, 'cross_origin_redirect');
      assert.match(health.message, new RegExp(`another origin, ${other.url.replace(/[.:/]/g, '\\$&')}`));
    } finally {
      await Promise.all([site.close(), other.close()]);
    }
  },
);

test(
  '1,100 headers before an insecure cookie, X-Powered-By and a versioned Server are an error, not a pass',
  { timeout: 20_000 },
  async () => {
    // Plain HTTP: cookies.secure judges only cookies set over HTTPS, so the insecure session cookie shows as its missing HttpOnly.
    const ids = ['cookies.httponly', 'headers.x_powered_by', 'headers.server_version'];
    for (const count of [900, 1_100]) {
      const server = await startHostile(behaviours.headerFlood(count));
      try {
        const results = await probe(server.url, [headersProbe, cookiesProbe], { signedIn: false });
        for (const id of ids) {
          const result = byId(results, id);
          if (count === 900) {
            // Under the bound every header is read, and the three findings are seen.
            assert.ok(['fail', 'warn'].includes(result.status), `${count} headers: ${id} is ${result.status}: ${result.message}`);
          } else {
            assert.equal(result.status, 'error', `${count} headers: ${id} is ${result.status}: ${result.message}`);
            assert.equal(result.reason, 'headers_too_many', result.message);
            assert.match(result.message, /sent 1106 response headers/);
          }
        }
      } finally {
        await server.close();
      }
    }
  },
);

/** Runs the CLI in-process (no process start-up per case): exit code and stderr. */
async function cli(args: readonly string[], cwd: string): Promise<{ code: number; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  stdout.resume();
  const env = { PATH: process.env.PATH, SENTRY_DSN: '', VOR_CONFIG: '', VOR_BASE_URL: '' };
  const code = await main(['node', 'vor-watch', ...args], { stdout, stderr, isTTY: false, env, cwd });
  return { code, stderr: err };
}

test(
  'empty values, a CA file with broken base64 and port 0 are usage errors (exit 2) naming what is wrong',
  { timeout: 30_000 },
  async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'vor-hostile-input-'));
    const brokenCa = path.join(cwd, 'broken-ca.pem');
    writeFileSync(brokenCa, '-----BEGIN CERTIFICATE-----\nMIIB!!not*base64@@\n-----END CERTIFICATE-----\n');
    const cases: { args: string[]; names: RegExp }[] = [
      { args: ['gate', '--for', ''], names: /--for: is empty/ },
      { args: ['gate', '--for', '1m', '--interval', ''], names: /--interval: is empty/ },
      { args: ['monitor', '--interval', ''], names: /--interval: is empty/ },
      { args: ['load', '--duration', ''], names: /--duration: is empty/ },
      { args: ['probe', '--check', ''], names: /--check: is empty/ },
      {
        args: ['probe', '--target', 'https://127.0.0.1:9', '--ca', brokenCa],
        names: /--ca: .*broken-ca\.pem: certificate 1 of 1 cannot be read/,
      },
      { args: ['probe', '--target', 'https://127.0.0.1:0'], names: /--target: https:\/\/127\.0\.0\.1:0 has port 0/ },
    ];
    for (const c of cases) {
      const { code, stderr } = await cli(c.args, cwd);
      assert.equal(code, 2, `${JSON.stringify(c.args)} exited ${code}: ${stderr}`);
      assert.doesNotMatch(stderr, /internal error/);
      assert.match(stderr, c.names, JSON.stringify(c.args));
    }
  },
);

/**
 * Preloaded into the CLI: says on stderr when the first SIGTERM handler is in place, so that the test
 * signals at the earliest moment the CLI can catch it rather than after a guessed delay (booting node
 * alone takes ~1 s on a loaded machine).
 */
const ANNOUNCE_SIGTERM_HANDLER = `data:text/javascript,${encodeURIComponent(
  "const t = setInterval(() => { if (process.listenerCount('SIGTERM') > 0) { clearInterval(t); process.stderr.write('[test] SIGTERM handled\\n'); } }, 2); t.unref();",
)}`;

test(
  'SIGTERM during gate start-up, before the target is open, is a clean interrupted NO-GO with a message and a report',
  { timeout: 90_000 },
  async () => {
    const reportsDir = mkdtempSync(path.join(tmpdir(), 'vor-early-term-'));
    const child = spawn(process.execPath, ['--import', ANNOUNCE_SIGTERM_HANDLER, BIN, 'gate', '--for', '30s', '--interval', '1s'], {
      cwd: reportsDir,
      env: { ...process.env, NO_COLOR: '1', VOR_REPORTS_DIR: reportsDir, SENTRY_DSN: '', VOR_CONFIG: '', VOR_BASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let stderrAtSignal: string | undefined;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderrAtSignal === undefined && stderr.includes('[test] SIGTERM handled')) {
        stderrAtSignal = stderr;
        child.kill('SIGTERM');
      }
    });
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.on('close', (c, s) => resolve([c, s])),
    );
    assert.ok(stderrAtSignal !== undefined, `no SIGTERM handler was ever installed:\n${stderr}`);
    // Without handlers from the start, the first one comes only with the session, after the target is open.
    assert.doesNotMatch(stderrAtSignal, /started the embedded reference target/, 'no handler during start-up');
    assert.equal(signal, null, `killed by ${signal}, no message, no report:\n${stderr}`);
    assert.equal(code, 1, `exit ${code}:\n${stdout}\n${stderr}`);
    assert.match(stdout, /^NO-GO \(interrupted\)/m);
    const report = /^report: (.+)$/m.exec(stdout)?.[1];
    assert.ok(report !== undefined && existsSync(report), `no report:\n${stdout}`);
  },
);
