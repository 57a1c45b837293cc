import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { RunSummary } from '../src/core/result.js';
import { startTarget, type RunningTarget } from '../target/server.js';
import { runCli } from './helpers/cli.js';

/** Launch-day sign-off end to end: `verify --require-attestations --pdf` with a webhook listening. */
describe('verify for launch-day sign-off', { timeout: 300_000 }, () => {
  let target: RunningTarget;
  let webhookUrl = '';
  const posted: Record<string, unknown>[] = [];
  const sink = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      posted.push(JSON.parse(body) as Record<string, unknown>);
      res.writeHead(200).end('ok');
    });
  });
  before(async () => {
    target = await startTarget({ quiet: true });
    await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
    webhookUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/hook`;
  });
  after(async () => {
    sink.closeAllConnections();
    sink.close();
    await target.close();
  });

  const verify = (reportsDir: string, extraArgs: readonly string[], env: Record<string, string | undefined> = {}) =>
    runCli(
      [
        'verify',
        '--no-smoke',
        '--suite',
        'security',
        '--target',
        target.baseUrl,
        '--http',
        target.httpUrl,
        '--ca',
        target.caFile,
        ...extraArgs,
      ],
      {
        timeoutMs: 120_000,
        cwd: reportsDir,
        env: {
          VOR_REPORTS_DIR: reportsDir,
          SENTRY_DSN: '',
          VOR_CONFIG: undefined,
          VOR_CHECKLIST: undefined,
          VOR_REQUIRE_ATTESTATIONS: undefined,
          ...env,
        },
      },
    );
  const latestSummary = (reportsDir: string) =>
    JSON.parse(readFileSync(path.join(reportsDir, 'latest', 'summary.json'), 'utf8')) as RunSummary;

  test('open manual items make it NO-GO; the PDF is written; the webhook hears verdict, reason and report link', async () => {
    const reportsDir = mkdtempSync(path.join(tmpdir(), 'vor-signoff-'));
    const run = await verify(reportsDir, ['--require-attestations', '--pdf'], {
      VOR_WEBHOOK_URL: webhookUrl,
      VOR_REPORT_URL: 'https://ci.example/run/42',
    });
    const summary = latestSummary(reportsDir);
    assert.equal(run.code, 1, run.stderr);
    assert.equal(summary.verdict, 'fail');
    assert.equal(summary.command, 'verify');
    assert.equal(summary.suite, 'security');
    assert.ok((summary.checklist?.openManualItems.length ?? 0) > 0);
    assert.match(run.stdout, /checklist: \d+ proven, \d+ partial, 0 attested, .* of 79/);
    assert.match(run.stdout, /manual items not attested \(--require-attestations\)/);

    const runDir = realpathSync(path.join(reportsDir, 'latest'));
    assert.equal(readFileSync(path.join(runDir, 'report.pdf')).subarray(0, 5).toString(), '%PDF-');
    assert.match(run.stdout, /pdf: .*report\.pdf/);

    const message = posted.at(-1);
    assert.equal(message?.verdict, 'NO-GO');
    assert.equal(message?.report, `https://ci.example/run/42/${path.basename(runDir)}/index.html`);
    assert.match(String(message?.text), /manual items not attested/);
  });
});
