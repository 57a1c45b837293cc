import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { runCli } from './helpers/cli.js';
import { UNRESOLVABLE_HOST } from './helpers/hostile.js';

const cwd = mkdtempSync(path.join(tmpdir(), 'vor-terminal-cli-'));

test(
  'a host that does not resolve: one verdict line with the count and the fix, GitHub annotations and step summary, colour forced in a pipe',
  { timeout: 60_000 },
  async () => {
    const stepSummary = path.join(cwd, 'step-summary.md');
    const run = await runCli(['probe', '--target', `https://${UNRESOLVABLE_HOST}`], {
      cwd,
      timeoutMs: 45_000,
      env: {
        VOR_BASE_URL: undefined,
        VOR_CONFIG: undefined,
        NO_COLOR: undefined,
        FORCE_COLOR: '1',
        GITHUB_ACTIONS: 'true',
        GITHUB_STEP_SUMMARY: stepSummary,
        GITHUB_WORKSPACE: cwd,
      },
    });
    assert.equal(run.code, 1, run.stderr);
    const stdout = run.stdout.replace(new RegExp(`${String.fromCharCode(27)}\\[\\d+m`, 'g'), '');
    assert.ok(run.stdout.includes('\u001b[31mNO-GO\u001b[39m'), 'FORCE_COLOR colours the verdict though stdout is a pipe');
    // The cause is told once, with how many checks it took down and what to do about it.
    const causeLines = stdout.split('\n').filter((line) => line.includes(UNRESOLVABLE_HOST) && /getaddrinfo|ENOTFOUND|EAI_/.test(line));
    assert.equal(causeLines.length, 1, stdout);
    assert.match(causeLines[0]!, /^ {2}ERR {2}\d{2} checks \(tls ×\d, .*\), one root cause: /);
    assert.match(stdout, /^ {7}fix: the host name does not resolve here/m);
    assert.ok(stdout.split('\n').length < 20, stdout);

    const annotations = run.stderr.split('\n').filter((line) => line.startsWith('::'));
    assert.ok(annotations.length >= 1 && annotations.length <= 10, run.stderr);
    assert.match(annotations[0]!, /^::error file=reports\/[^,]+-probe\/index\.html,title=\d+ checks error on https%3A\/\/x+\.invalid/);
    const markdown = readFileSync(stepSummary, 'utf8');
    assert.match(markdown, /^## vor-watch probe: NO-GO/m);
    assert.match(markdown, /\| error \| \d+ checks: tls ×\d/);
  },
);
