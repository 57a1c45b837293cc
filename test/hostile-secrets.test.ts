/**
 * Issue 16 item 3, end to end: one `verify` run in which the test user's password is three characters
 * with a quote and a backslash, --target carries URL credentials whose password is the word "test",
 * and the login flow fails after typing the password (so its traces are kept). None of these secrets
 * may survive in any file of the report folder (zips and the Playwright report's data opened), on
 * stdout or stderr; and masking must not corrupt ordinary words.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { RunSummary } from '../src/core/result.js';
import { startTarget, type RunningTarget } from '../target/server.js';
import { textsUnder } from './helpers/artifacts.js';
import { runCli, type CliRun } from './helpers/cli.js';

/** Three characters, a quote and a backslash: never masked before (too short), or masked only up to the quote. */
const PASSWORD = '¤"\\';
const URL_USER = 'qa-url';
/** A dictionary word: masking it everywhere would turn "test" into "[redacted]" all over the report. */
const URL_PASSWORD = 'test';
const EMAIL = 'qa-secrets@vor.test';

const json = (text: string): string => JSON.stringify(text).slice(1, -1);
const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** Every form the password takes in a body, a trace line, a report's data, a form, a page. */
const PASSWORD_FORMS = [
  PASSWORD,
  json(PASSWORD),
  json(json(PASSWORD)),
  json(json(json(PASSWORD))),
  encodeURIComponent(PASSWORD),
  new URLSearchParams({ p: PASSWORD }).toString().slice(2),
  '¤&quot;\\',
  b64(`${EMAIL}:${PASSWORD}`),
];
/** Where the word password would show: as a URL's userinfo, a whole JSON value at any depth, a form value, Basic credentials. */
const URL_PASSWORD_PATTERNS = [
  /:test@/,
  /qa-url:test/,
  /(\\*)"test\1"(?!\s*:)/,
  /=test(&|$|")/,
  new RegExp(b64(`${URL_USER}:${URL_PASSWORD}`).slice(0, 12)),
];

function leaksIn(name: string, text: string, bytes: Buffer = Buffer.from(text, 'utf8')): string[] {
  const leaks: string[] = [];
  for (const form of PASSWORD_FORMS) if (bytes.includes(form)) leaks.push(`${name}: the test user's password as ${JSON.stringify(form)}`);
  const utf8 = bytes.toString('utf8');
  for (const pattern of URL_PASSWORD_PATTERNS) {
    const found = pattern.exec(utf8);
    if (found !== null)
      leaks.push(`${name}: the URL password (${pattern}) in …${utf8.slice(Math.max(0, found.index - 40), found.index + 40)}…`);
  }
  // Masking a word password everywhere would leave these behind (and so reveal it).
  if (/vor\.\[redacted\]|\[redacted\]-support|\[redacted\] user/.test(utf8)) leaks.push(`${name}: ordinary words were masked`);
  return leaks;
}

describe('verify leaks no secret: short, quoted and word passwords, URL credentials', { timeout: 900_000 }, () => {
  let target: RunningTarget;
  let reportsDir: string;
  let run: CliRun;

  before(async () => {
    target = await startTarget({ quiet: true, testUser: { email: EMAIL, password: PASSWORD } });
    reportsDir = mkdtempSync(path.join(tmpdir(), 'vor-secrets-'));
    // The login flow types the right password, then waits for a page that never comes: it fails, and its traces are kept.
    // A generous browser budget: on a busy machine the run must finish rather than be cut short (a cut is item 2's subject).
    writeFileSync(
      path.join(reportsDir, 'vor.yml'),
      "app:\n  signIn:\n    signedIn: { url: '/never-signed-in-/' }\nsmoke:\n  budgetMs: 540000\n",
    );
    const port = new URL(target.baseUrl).port;
    run = await runCli(
      ['verify', '--target', `https://${URL_USER}:${URL_PASSWORD}@127.0.0.1:${port}`, '--http', target.httpUrl, '--ca', target.caFile],
      {
        timeoutMs: 840_000,
        cwd: reportsDir,
        env: {
          VOR_REPORTS_DIR: path.join(reportsDir, 'reports'),
          VOR_CONFIG: path.join(reportsDir, 'vor.yml'),
          VOR_TEST_USER_EMAIL: EMAIL,
          VOR_TEST_USER_PASSWORD: PASSWORD,
          SENTRY_DSN: '',
        },
      },
    );
  });
  after(async () => {
    await target.close();
    rmSync(reportsDir, { recursive: true, force: true });
  });

  test('the run completed and typed the password in a failing flow whose traces were kept', () => {
    assert.ok(run.code === 0 || run.code === 1, `exit ${run.code}: ${run.stderr}`);
    const summary = JSON.parse(readFileSync(path.join(reportsDir, 'reports', 'latest', 'summary.json'), 'utf8')) as RunSummary;
    assert.equal(summary.target, `https://127.0.0.1:${new URL(target.baseUrl).port}`, 'the target without its credentials');
    assert.equal(summary.results.find((r) => r.id === 'flow.login')?.status, 'fail');
    const traces = [...textsUnder(path.join(reportsDir, 'reports'))].filter((t) => t.file.includes('.zip!'));
    assert.ok(
      traces.some((t) => t.file.endsWith('.network')),
      'traces with network logs were kept',
    );
    assert.ok(
      traces.some((t) => t.text.includes('[redacted]')),
      'the scrubber found secrets to mask in them',
    );
  });

  test('no secret in any file of the report folder (traces unzipped), on stdout or on stderr', () => {
    const leaks = [...leaksIn('stdout', run.stdout), ...leaksIn('stderr', run.stderr)];
    for (const { file, text, bytes } of textsUnder(path.join(reportsDir, 'reports'))) leaks.push(...leaksIn(file, text, bytes));
    assert.deepEqual(leaks, []);
  });
});

test('a SENTRY_DSN the SDK rejects is not echoed: only its scheme and host are shown', async () => {
  const dsn = 'https://not-a-valid-key-0123456789abcdef@127.0.0.1:9/1';
  const cli = await runCli(['verify', '--target', 'https://127.0.0.1:9', '--no-smoke'], {
    env: { SENTRY_DSN: dsn, VOR_CONFIG: undefined, VOR_REPORTS_DIR: path.join(tmpdir(), 'vor-secrets-dsn') },
    timeoutMs: 30_000,
  });
  assert.equal(cli.code, 2, cli.stderr);
  assert.match(cli.stderr, /SENTRY_DSN: .*\(https, host 127\.0\.0\.1:9\)/);
  assert.ok(!`${cli.stdout}${cli.stderr}`.includes('0123456789abcdef'), cli.stderr);
});
