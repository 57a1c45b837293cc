import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { validateXML } from 'xmllint-wasm';
import type { TriggerStatus } from '../src/alerting/tracker.js';
import { describeOutcome } from '../src/cli/commands/gate.js';
import { createRedactor } from '../src/core/redact.js';
import { runCli, type CliRun } from './helpers/cli.js';
import { FORGED_LINE, startControlBytesSite, type ControlBytesSite } from './helpers/control-bytes.js';

const XSD = readFileSync(new URL('./fixtures/junit.xsd', import.meta.url), 'utf8');
/** ESC, CR, the other C0 controls but tab and LF, DEL, C1, and the bidi overrides. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const STEERING = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

let site: ControlBytesSite;
let reportsDir: string;
let run: CliRun;

before(async () => {
  site = await startControlBytesSite();
  reportsDir = mkdtempSync(path.join(tmpdir(), 'vor-terminal-'));
  run = await runCli(
    ['probe', '--target', site.baseUrl, '--ca', site.caFile, '--check', 'health.endpoint', '--check', 'headers.server_version'],
    {
      cwd: reportsDir,
      env: { VOR_REPORTS_DIR: reportsDir, VOR_CONFIG: undefined, SENTRY_DSN: '' },
      timeoutMs: 60_000,
    },
  );
});
after(async () => {
  await site.close();
  rmSync(reportsDir, { recursive: true, force: true });
});

test('what the target sends cannot steer the terminal or forge a line', () => {
  for (const [name, text] of [
    ['stdout', run.stdout],
    ['stderr', run.stderr],
  ] as const) {
    const raw = STEERING.exec(text);
    assert.equal(raw, null, `${name} has a raw U+${raw?.[0].charCodeAt(0).toString(16).padStart(4, '0')}:\n${JSON.stringify(text)}`);
    for (const line of text.split('\n')) assert.ok(!line.trimStart().startsWith(FORGED_LINE), `${name} has a forged line: ${line}`);
  }
  // The findings are still there, their control characters shown as escapes.
  assert.match(run.stdout, /NO-GO/);
  assert.match(run.stdout, /health\.endpoint: .*db\\x1b\[2J.*\\r\\nFAKE: GO/);
  assert.match(run.stdout, /headers\.server_version/);
  assert.equal(run.code, 1, run.stderr);
});

test('junit.xml stays well-formed and valid with the target bytes in it', async () => {
  const xml = readFileSync(path.join(reportsDir, 'latest', 'junit.xml'), 'utf8');
  assert.match(xml, /health\.endpoint/);
  const validation = await validateXML({ xml: [{ fileName: 'junit.xml', contents: xml }], schema: [XSD] });
  assert.ok(validation.valid, validation.rawOutput);
});

test('the gate verdict lines show a trigger message from the target without obeying it', () => {
  const status: TriggerStatus = {
    id: 'rollback.health_failures',
    state: 'firing',
    message: `health reports db\u001b]0;owned\u0007\r\n${FORGED_LINE}\u009b2J down`,
    evidence: {},
    since: 0,
  };
  const base = { elapsedMs: 1_000, finalStatuses: new Map(), undecided: [] };
  const texts = [
    describeOutcome({ ...base, verdict: 'fired', fired: { target: 'https://127.0.0.1:1', status } }, createRedactor(), false),
    describeOutcome({ ...base, verdict: 'inconclusive', undecided: [{ target: 'https://127.0.0.1:1', status }] }, createRedactor(), false),
  ];
  for (const text of texts) {
    assert.equal(STEERING.exec(text), null, JSON.stringify(text));
    for (const line of text.split('\n')) assert.ok(!line.trimStart().startsWith(FORGED_LINE), line);
  }
});
