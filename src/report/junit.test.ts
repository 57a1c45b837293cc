import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { validateXML } from 'xmllint-wasm';
import { checkResult } from '../../test/helpers/results.js';
import { renderJunit } from './junit.js';
import { buildSummary } from './summary.js';

const XSD = readFileSync(new URL('../../test/fixtures/junit.xsd', import.meta.url), 'utf8');

/** Characters XML 1.0 forbids, as a hostile target can get them into a message or evidence. */
const FORBIDDEN = 'NUL\u0000 ESC\u001b[2J BEL\u0007 VT\u000b FF\u000c lone\ud800surrogate U+FFFE\ufffe';

test('junit.xml is well-formed and valid whatever characters the results carry', async () => {
  const summary = buildSummary({
    target: 'https://127.0.0.1:8443',
    startedAt: new Date('2026-11-28T10:00:00.000Z'),
    results: [
      checkResult('health.endpoint', 'fail', { message: `reports ${FORBIDDEN} down`, evidence: { downDependencies: [FORBIDDEN] } }),
      checkResult('headers.server_version', 'warn', { message: `Server: ${FORBIDDEN}` }),
      checkResult('headers.csp', 'error', { message: FORBIDDEN, reason: `odd${FORBIDDEN}` }),
      checkResult('flow.login', 'skip', { message: FORBIDDEN }),
    ],
  });
  const xml = renderJunit(summary);
  const validation = await validateXML({ xml: [{ fileName: 'junit.xml', contents: xml }], schema: [XSD] });
  assert.ok(validation.valid, validation.rawOutput);
  // The text is kept, its forbidden characters shown as escapes.
  assert.match(xml, /NUL\\x00 ESC\\x1b\[2J BEL\\x07/);
});
