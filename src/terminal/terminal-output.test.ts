import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { checkResult } from '../../test/helpers/results.js';
import type { CheckId } from '../core/catalogue.js';
import type { CheckResult, RunSummary } from '../core/result.js';
import type { CommandIO } from '../session/io.js';
import { printResultsTable, printVerdict } from '../session/print.js';
import { createProgress } from '../session/progress.js';
import { colourEnabled } from './colour.js';
import { groupByRootCause } from './root-cause.js';

const ORIGIN = 'https://shop.invalid';
const DNS = 'ENOTFOUND: getaddrinfo ENOTFOUND shop.invalid';
const PROBED: readonly CheckId[] = [
  'tls.certificate.validity',
  'tls.protocols',
  'headers.hsts',
  'headers.csp',
  'cookies.secure',
  'cors.null_origin',
];
const EXPOSURE: readonly CheckId[] = ['exposure.sensitive_files', 'exposure.source_maps'];

/** What one DNS failure does to a probe run: every check an error, said the two ways the probes say it. */
function dnsFailure(): CheckResult[] {
  return [
    ...PROBED.map((id) =>
      checkResult(id, 'error', {
        reason: 'dns_failed',
        target: ORIGIN,
        message: `${id.split('.')[0]} probe of ${ORIGIN} could not be evaluated: dns_failed (${DNS})`,
      }),
    ),
    ...EXPOSURE.map((id) =>
      checkResult(id, 'error', { reason: 'dns_failed', target: ORIGIN, message: `${id} of ${ORIGIN} could not be evaluated: ${DNS}` }),
    ),
  ];
}

function captureIO(env: NodeJS.ProcessEnv = {}, isTTY = false): { io: CommandIO; stdout: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let text = '';
  stdout.on('data', (d: Buffer) => (text += d.toString()));
  stderr.resume();
  return { io: { stdout, stderr, isTTY, env, cwd: process.cwd() }, stdout: () => text };
}

const summaryOf = (results: CheckResult[]): RunSummary => ({
  tool: 'vor-watch',
  version: '0.0.0',
  target: ORIGIN,
  startedAt: new Date(0).toISOString(),
  durationMs: 5_500,
  verdict: 'fail',
  results,
  command: 'probe',
});

test('one DNS failure is one verdict line with the count of checks it took down and the fix, not a line per check', () => {
  const own = checkResult('headers.x_powered_by', 'fail', { target: ORIGIN, message: 'X-Powered-By: Express is sent' });
  const { io, stdout } = captureIO();
  printVerdict(summaryOf([...dnsFailure(), own]), '/r/run', io);
  const lines = stdout().split('\n');
  const dnsLines = lines.filter((l) => l.includes('ENOTFOUND'));
  assert.equal(dnsLines.length, 1, stdout());
  assert.match(
    dnsLines[0]!,
    /ERR {2}8 checks \(tls ×2, headers ×2, cookies, cors, exposure ×2\), one root cause: ENOTFOUND: getaddrinfo ENOTFOUND shop\.invalid$/,
  );
  assert.match(stdout(), /fix: the host name does not resolve here: check the --target URL/);
  // A check failing for its own reason keeps its own line.
  assert.match(stdout(), /^ {2}FAIL headers\.x_powered_by: X-Powered-By: Express is sent$/m);
  assert.match(stdout(), /0 pass, 0 warn, 1 fail, 8 error, 0 skip/);
});

test('the results table gathers the checks of one root cause into one line, after the passes before it', () => {
  const results = [checkResult('health.endpoint', 'pass'), ...dnsFailure()];
  const { io, stdout } = captureIO();
  printResultsTable(results, io);
  const lines = stdout().trimEnd().split('\n');
  assert.equal(lines.length, 2, stdout());
  assert.match(lines[0]!, /^PASS {2}health\.endpoint/);
  assert.match(
    lines[1]!,
    /^ERR {3}8 checks\s+tls ×2, headers ×2, cookies, cors, exposure ×2: dns_failed \(one root cause, below the verdict\)$/,
  );
});

test('an untrusted CA names --ca; the same failure on two targets stays two groups; passes are never grouped', () => {
  const untrusted = (id: CheckId, target: string) =>
    checkResult(id, 'error', {
      reason: 'tls_handshake_failed',
      target,
      message: `headers probe of ${target} could not be evaluated: tls_handshake_failed (UNABLE_TO_GET_ISSUER_CERT_LOCALLY: unable to get local issuer certificate)`,
    });
  const groups = groupByRootCause([
    untrusted('headers.hsts', 'https://a.test'),
    checkResult('headers.csp', 'pass'),
    checkResult('headers.frame_options', 'pass'),
    untrusted('headers.csp', 'https://a.test'),
    untrusted('headers.hsts', 'https://b.test'),
  ]);
  assert.deepEqual(
    groups.map((g) => g.results.length),
    [2, 1, 1, 1],
  );
  assert.match(groups[0]!.cause!.fix!, /--ca <file>/);
});

test('colour follows FORCE_COLOR, NO_COLOR and the terminal, as node decides it', () => {
  assert.equal(colourEnabled({ TERM: 'xterm-256color' }, true), true, 'a colour terminal');
  assert.equal(colourEnabled({ TERM: 'xterm-256color' }, false), false, 'a pipe or a file');
  assert.equal(colourEnabled({ TERM: 'xterm-256color', NO_COLOR: '1' }, true), false, 'NO_COLOR');
  assert.equal(colourEnabled({ TERM: 'dumb' }, true), false, 'TERM=dumb');
  for (const level of ['1', '2', '3', ''])
    assert.equal(colourEnabled({ FORCE_COLOR: level }, false), true, `FORCE_COLOR=${level} in a CI log`);
  assert.equal(colourEnabled({ TERM: 'xterm-256color', FORCE_COLOR: '0' }, true), false, 'FORCE_COLOR=0 on a terminal');

  const forced = captureIO({ FORCE_COLOR: '1' });
  printVerdict(summaryOf(dnsFailure()), undefined, forced.io);
  assert.ok(forced.stdout().includes('\u001b[31mNO-GO\u001b[39m'), forced.stdout());
  const plain = captureIO({ TERM: 'xterm-256color', NO_COLOR: '1' }, true);
  printVerdict(summaryOf(dnsFailure()), undefined, plain.io);
  assert.ok(!plain.stdout().includes('\u001b'), plain.stdout());
  assert.match(plain.stdout(), /^NO-GO/m);
});

test('progress shows a root cause once, though the probes report it batch after batch', () => {
  const stderr = new PassThrough();
  let shown = '';
  stderr.on('data', (d: Buffer) => (shown += d.toString()));
  const progress = createProgress({ stdout: new PassThrough(), stderr, isTTY: false, env: {}, cwd: process.cwd() });
  progress.phase(`probes on ${ORIGIN}`);
  const [tls, protocols, hsts, csp, ...rest] = dnsFailure();
  progress.results([tls!, protocols!, checkResult('health.endpoint', 'pass')]);
  progress.results([hsts!, csp!]);
  progress.results(rest);
  progress.done();
  const lines = shown.trimEnd().split('\n');
  assert.deepEqual(
    lines.map((l) => l.replace(/\s+/g, ' ')),
    [
      `[vor-watch] probes on ${ORIGIN}`,
      '[vor-watch] ERR 2 checks tls ×2: dns_failed (one root cause, below the verdict)',
      `[vor-watch] PASS health.endpoint health.endpoint is pass on https://127.0.0.1:8443/`,
    ],
  );
});

test('on a terminal, finished tests scroll above one status line that is rewritten in place', () => {
  const stderr = new PassThrough();
  let shown = '';
  stderr.on('data', (d: Buffer) => (shown += d.toString()));
  const progress = createProgress({
    stdout: new PassThrough(),
    stderr,
    isTTY: true,
    env: { TERM: 'xterm', NO_COLOR: '1' },
    cwd: process.cwd(),
  });
  progress.phase('browser flows and checks on https://shop.test');
  progress.test({ title: 'home page loads', status: 'passed', durationMs: 1_200, retry: 0, willRetry: false, total: 2 });
  progress.test({ title: 'sign in', status: 'failed', durationMs: 3_000, retry: 1, willRetry: false, total: 2 });
  progress.done();
  // Each redraw clears the line and returns to its start (readline's clearLine and cursorTo).
  const screens = shown.split(`${String.fromCharCode(27)}[2K${String.fromCharCode(27)}[1G`).filter((s) => s !== '');
  assert.deepEqual(screens, [
    'browser flows and checks on https://shop.test: 0 checks done',
    '[1/2] ✓ home page loads (1.2 s)\n',
    'browser flows and checks on https://shop.test: 1/2 tests done, 0 checks done',
    '[2/2] ✗ sign in (3.0 s, failed)\n',
    'browser flows and checks on https://shop.test: 2/2 tests done, 0 checks done\n',
  ]);
});

test('progress follows stderr: stdout on a terminal but stderr to a file gets plain lines, no cursor moves', () => {
  const stderr = new PassThrough();
  let shown = '';
  stderr.on('data', (d: Buffer) => (shown += d.toString()));
  const progress = createProgress({
    stdout: new PassThrough(),
    stderr,
    isTTY: true,
    stderrIsTTY: false,
    env: { TERM: 'xterm' },
    cwd: process.cwd(),
  });
  progress.phase('browser flows and checks on https://shop.test');
  progress.test({ title: 'home page loads', status: 'passed', durationMs: 1_200, retry: 0, willRetry: false, total: 1 });
  progress.done();
  assert.equal(shown, '[vor-watch] browser flows and checks on https://shop.test\n[vor-watch] [1/1] ✓ home page loads (1.2 s)\n');
});

test('a word like "ERROR:" in messages is no network root cause: a failed assertion and a spec error saying it stay apart', () => {
  const said = 'ERROR: upstream down';
  const results = [
    checkResult('custom.a' as CheckId, 'fail', { target: ORIGIN, reason: 'assertion_failed', message: said }),
    checkResult('custom.b' as CheckId, 'error', { target: ORIGIN, reason: 'spec_error', message: said }),
    checkResult('health.endpoint', 'fail', {
      target: ORIGIN,
      reason: 'unreachable',
      message: 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1',
    }),
    checkResult('headers.hsts', 'error', {
      target: ORIGIN,
      reason: 'connection_refused',
      message: 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1',
    }),
  ];
  assert.deepEqual(
    groupByRootCause(results).map((g) => g.results.length),
    [1, 1, 2],
  );
});
