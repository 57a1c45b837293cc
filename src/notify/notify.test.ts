import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { checkResult } from '../../test/helpers/results.js';
import { createRedactor } from '../core/redact.js';
import { NO_CHECK_SETTINGS } from '../custom/settings.js';
import { buildSummary } from '../report/summary.js';
import { buildPayload } from './payload.js';
import { notifyRun, reportLinkOf } from './notify.js';

const SECRET = 'hunter2-very-secret-password';
const FAST = { retries: 3, attemptTimeoutMs: 500, totalTimeoutMs: 5_000, backoffMs: 20 };
const summary = buildSummary({
  target: 'https://127.0.0.1:8443',
  startedAt: new Date('2026-11-28T10:00:00.000Z'),
  results: [
    checkResult('headers.hsts', 'fail'),
    checkResult('flow.login', 'error', { message: `login refused for password ${SECRET}` }),
    checkResult('headers.csp'),
  ],
});

interface Received {
  readonly path: string;
  readonly contentType: string | undefined;
  readonly body: Record<string, unknown>;
}

/** A loopback webhook sink: answers each request with the next planned status (the last one repeats), 'hang' never answers. */
async function sink(plan: readonly (number | 'hang')[]): Promise<{ url: string; received: Received[]; attempts: () => number }> {
  const received: Received[] = [];
  let attempts = 0;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const answer = plan[Math.min(attempts, plan.length - 1)];
    attempts += 1;
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => {
      if (answer === 'hang') return;
      if (answer !== undefined && answer < 300)
        received.push({ path: req.url ?? '', contentType: req.headers['content-type'], body: JSON.parse(text) as Record<string, unknown> });
      res.writeHead(answer ?? 200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook/T000`, received, attempts: () => attempts };
}

const input = (env: NodeJS.ProcessEnv, command = 'verify') => ({
  command,
  summary,
  dir: '/srv/reports/2026-11-28T10-00-00-000Z-verify',
  reportsDir: '/srv/reports',
  env,
  redactor: createRedactor([SECRET]),
  post: FAST,
});

test('verify posts its verdict, the failing checks and the report link, retrying past a 503, without secrets', async () => {
  const hook = await sink([503, 200]);
  const problem = await notifyRun(input({ VOR_WEBHOOK_URL: hook.url, VOR_REPORT_URL: 'https://ci.example/artifacts/' }));
  assert.equal(problem, undefined);
  assert.equal(hook.attempts(), 2, 'one retry after the 503');
  assert.equal(hook.received.length, 1);
  const { body, contentType, path } = hook.received[0]!;
  assert.equal(path, '/hook/T000');
  assert.equal(contentType, 'application/json');
  assert.equal(body.verdict, 'NO-GO');
  assert.equal(body.command, 'verify');
  assert.deepEqual(
    (body.failing as { id: string }[]).map((f) => f.id),
    ['headers.hsts', 'flow.login'],
  );
  assert.equal(body.report, 'https://ci.example/artifacts/2026-11-28T10-00-00-000Z-verify/index.html');
  assert.match(String(body.text), /^NO-GO: vor-watch verify on https:\/\/127\.0\.0\.1:8443 — 2 failing checks/);
  assert.ok(!JSON.stringify(body).includes(SECRET), 'the test user password never leaves the machine');
  assert.ok(!JSON.stringify(body).includes('evidence'));
});

test('a Slack webhook gets a Slack message (text only); the local report path is a file URL without VOR_REPORT_URL', async () => {
  const hook = await sink([200]);
  assert.equal(await notifyRun(input({ VOR_WEBHOOK_URL: hook.url, VOR_WEBHOOK_FORMAT: 'slack' }, 'gate')), undefined);
  const { body } = hook.received[0]!;
  assert.deepEqual(Object.keys(body), ['text']);
  assert.match(String(body.text), /vor-watch gate/);
  assert.match(String(body.text), /Report: file:\/\/\/srv\/reports\/2026-11-28T10-00-00-000Z-verify\/index\.html/);
});

test('Slack text escapes <, > and & from the target, so a hostile target cannot ping a channel or forge a link', async () => {
  const hostile = buildSummary({
    target: 'https://127.0.0.1:8443/<!channel>',
    startedAt: new Date('2026-11-28T10:00:00.000Z'),
    results: [checkResult('headers.csp', 'fail', { message: 'policy "<https://evil.example|Open the report>" & more' })],
  });
  const notice = { command: 'verify', summary: hostile, reportLink: 'https://ci.example/r?a=1&b=2' };
  const slack = String(buildPayload(notice, 'slack').text);
  assert.doesNotMatch(slack, /<|>/);
  assert.match(slack, /&lt;!channel&gt;/);
  assert.match(slack, /"&lt;https:\/\/evil\.example\|Open the report&gt;" &amp; more/);
  assert.match(slack, /Report: https:\/\/ci\.example\/r\?a=1&amp;b=2$/);
  // The generic JSON is not Slack markup: its text stays as the target said it.
  assert.match(String(buildPayload(notice, 'json').text), /<!channel>/);

  // A secret with an & is redacted before escaping (escaped, the redactor would no longer find it).
  const hook = await sink([200]);
  const secret = 'pass&word<1>';
  const leaking = buildSummary({
    target: hostile.target,
    startedAt: new Date(hostile.startedAt),
    results: [checkResult('flow.login', 'error', { message: `refused ${secret}` })],
  });
  await notifyRun({
    ...input({ VOR_WEBHOOK_URL: hook.url, VOR_WEBHOOK_FORMAT: 'slack' }),
    summary: leaking,
    redactor: createRedactor([secret]),
  });
  const sent = String(hook.received[0]?.body.text);
  assert.ok(!sent.includes('pass&amp;word') && !sent.includes(secret), sent);
});

test('the report link resolves the run folder against VOR_REPORT_URL, keeping its query; none for a report outside the reports folder', () => {
  const dir = '/srv/reports/2026-11-28T10-00-00-000Z-verify';
  const link = (base: string, at = dir): string | undefined => reportLinkOf(at, '/srv/reports', { VOR_REPORT_URL: base });
  assert.equal(link('https://ci.example/artifacts'), 'https://ci.example/artifacts/2026-11-28T10-00-00-000Z-verify/index.html');
  assert.equal(
    link('https://bucket.example/reports/?X-Sig=ab%2Fc&exp=9'),
    'https://bucket.example/reports/2026-11-28T10-00-00-000Z-verify/index.html?X-Sig=ab%2Fc&exp=9',
  );
  assert.equal(link('https://ci.example/a', '/tmp/vor-watch-report-x/2026-11-28T10-00-00-000Z-verify'), undefined);
  assert.equal(link('not a url'), undefined);
  assert.equal(reportLinkOf(dir, '/srv/reports', {}), 'file:///srv/reports/2026-11-28T10-00-00-000Z-verify/index.html');
  const unpublished = buildPayload({ command: 'gate', summary, reportLink: undefined }, 'json');
  assert.equal(unpublished.report, undefined);
  assert.match(String(unpublished.text), /Report: not published/);
});

test('a webhook that never answers is given up within the timeout, with a line that does not quote the URL', async () => {
  const hook = await sink(['hang']);
  const started = Date.now();
  const problem = await notifyRun({
    ...input({ VOR_WEBHOOK_URL: hook.url }),
    post: { ...FAST, retries: 1, attemptTimeoutMs: 300, totalTimeoutMs: 1_500 },
  });
  assert.ok(Date.now() - started < 3_000, 'bounded by the timeouts');
  assert.equal(hook.attempts(), 2, 'the first try and one retry');
  assert.match(problem ?? '', /could not be reached .* after retries/);
  assert.ok(!(problem ?? '').includes(hook.url));
});

test('a webhook that keeps refusing is reported; probe runs and runs without VOR_WEBHOOK_URL post nothing', async () => {
  const refusing = await sink([400]);
  assert.match((await notifyRun(input({ VOR_WEBHOOK_URL: refusing.url }))) ?? '', /answered 400/);
  assert.equal(refusing.attempts(), 1, 'a 400 is not retried');

  const quiet = await sink([200]);
  assert.equal(await notifyRun(input({ VOR_WEBHOOK_URL: quiet.url }, 'probe')), undefined);
  assert.equal(await notifyRun(input({})), undefined);
  assert.equal(quiet.attempts(), 0);
  assert.match((await notifyRun(input({ VOR_WEBHOOK_URL: 'javascript:alert(1)' }))) ?? '', /not an http\(s\) URL/);
});

test('finishing a verify run (the session lifecycle) posts to VOR_WEBHOOK_URL and says on stderr when it could not', async () => {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { PassThrough } = await import('node:stream');
  const { beginRun, finishRun } = await import('../session/report.js');
  const hook = await sink([200]);
  const stderr = new PassThrough();
  let said = '';
  stderr.on('data', (chunk: Buffer) => (said += chunk.toString()));
  const reportsDir = mkdtempSync(`${tmpdir()}/vor-notify-`);
  const session = {
    config: { reportsDir, keepReports: 0, attestations: [], requireAttestations: false },
    targets: [{ origin: 'https://127.0.0.1:8443', checkSettings: NO_CHECK_SETTINGS }],
    redactor: createRedactor([SECRET]),
    io: { stdout: new PassThrough(), stderr, isTTY: false, env: { VOR_WEBHOOK_URL: hook.url }, cwd: reportsDir },
    sentry: async () => undefined,
  } as unknown as Parameters<typeof finishRun>[0];
  const run = beginRun(session, 'verify');
  await finishRun(session, run, summary.results);
  assert.equal(hook.received.length, 1);
  assert.equal(hook.received[0]?.body.verdict, 'NO-GO');
  assert.match(String(hook.received[0]?.body.report), new RegExp(`${run.runId}/index\\.html$`));

  const misconfigured = { ...session, io: { ...session.io, env: { VOR_WEBHOOK_URL: 'hooks.example/T000' } } };
  await finishRun(misconfigured, beginRun(session, 'verify', new Date(Date.now() + 1000)), summary.results);
  assert.match(said, /vor-watch: VOR_WEBHOOK_URL is not an http\(s\) URL; no notification was sent/);
});
