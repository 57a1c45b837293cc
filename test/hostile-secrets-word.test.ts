/**
 * Issue 16 item 3: the test user's password is the word "test", typed by a login flow that fails after
 * typing it (so its traces are kept). Masking it everywhere would corrupt ordinary words ("vor.test",
 * "test user") and so reveal it; masking it nowhere would leave it in the traces. Neither may happen.
 * The short and quoted passwords and URL credentials are hostile-secrets.test.ts's subject.
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

const PASSWORD = 'test';
const EMAIL = 'qa-word@vor.test';

/** Where the typed word would show: a whole JSON value at any depth, a form or query value, Basic credentials. */
const LEAK_PATTERNS = [
  /(\\*)"test\1"(?!\s*:)/,
  /=test(&|$|")/,
  new RegExp(Buffer.from(`${EMAIL}:${PASSWORD}`).toString('base64').slice(0, 16)),
];
/** What masking the word everywhere would leave behind. */
const CORRUPTED = /vor\.\[redacted\]|qa-word@vor\.\[redacted\]|\[redacted\] user/;

function leaksIn(name: string, text: string): string[] {
  const leaks: string[] = [];
  for (const pattern of LEAK_PATTERNS) {
    const found = pattern.exec(text);
    if (found !== null) leaks.push(`${name}: ${pattern} in …${text.slice(Math.max(0, found.index - 40), found.index + 40)}…`);
  }
  if (CORRUPTED.test(text)) leaks.push(`${name}: ordinary words were masked`);
  return leaks;
}

describe('a word password ("test") is masked where it is a value and nowhere else', { timeout: 600_000 }, () => {
  let target: RunningTarget;
  let dir: string;
  let run: CliRun;

  before(async () => {
    target = await startTarget({ quiet: true, testUser: { email: EMAIL, password: PASSWORD } });
    dir = mkdtempSync(path.join(tmpdir(), 'vor-secrets-word-'));
    // The login flow types the password, then waits for a page that never comes: it fails and keeps its traces.
    writeFileSync(path.join(dir, 'vor.yml'), "app:\n  signIn:\n    signedIn: { url: '/never-signed-in-/' }\nsmoke:\n  budgetMs: 300000\n");
    run = await runCli(
      ['smoke', '--grep', 'the test user logs in', '--target', target.baseUrl, '--http', target.httpUrl, '--ca', target.caFile],
      {
        timeoutMs: 420_000,
        cwd: dir,
        env: {
          VOR_REPORTS_DIR: path.join(dir, 'reports'),
          VOR_CONFIG: path.join(dir, 'vor.yml'),
          VOR_TEST_USER_EMAIL: EMAIL,
          VOR_TEST_USER_PASSWORD: PASSWORD,
          SENTRY_DSN: '',
        },
      },
    );
  });
  after(async () => {
    await target.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the login flow typed the password and failed, keeping traces whose secrets were masked', () => {
    assert.equal(run.code, 1, run.stderr);
    const summary = JSON.parse(readFileSync(path.join(dir, 'reports', 'latest', 'summary.json'), 'utf8')) as RunSummary;
    assert.equal(summary.results.find((r) => r.id === 'flow.login')?.status, 'fail');
    const traces = [...textsUnder(path.join(dir, 'reports'))].filter((t) => t.file.includes('.zip!'));
    assert.ok(
      traces.some((t) => t.text.includes('[redacted]')),
      'the scrubber masked the typed password in the traces',
    );
    assert.ok(
      traces.some((t) => t.text.includes(EMAIL)),
      'the e-mail (which contains the word) is still readable',
    );
  });

  test('the word is in no file of the report folder as a value, on stdout or stderr, and no ordinary word was masked', () => {
    const leaks = [...leaksIn('stdout', run.stdout), ...leaksIn('stderr', run.stderr)];
    for (const { file, text } of textsUnder(path.join(dir, 'reports'))) leaks.push(...leaksIn(file, text));
    assert.deepEqual(leaks, []);
  });
});
