import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRedactor } from './redact.js';

test('every cookie of a Cookie header is masked, not only the first', () => {
  const redactor = createRedactor();
  const out = JSON.stringify(redactor.evidence({ requestCookies: 'theme=dark; vor_session=abc123secretvalue' }));
  assert.doesNotMatch(out, /abc123secretvalue/);
  assert.match(out, /vor_session=\[redacted\]/);
});

test('Set-Cookie keeps its attributes and masks the cookie value', () => {
  const out = createRedactor().evidence({ 'set-cookie': 'vor_session=abc123secretvalue; Path=/; Secure' });
  assert.deepEqual(out, { 'set-cookie': 'vor_session=[redacted]; Path=/; Secure' });
});

test('a known secret is masked when echoed URL-encoded or JSON-escaped', () => {
  const password = 'S3cr3t"Pw\\x&y%z +';
  const redactor = createRedactor([password]);
  for (const echoed of [
    `body: email=qa%40vor.test&password=${encodeURIComponent(password)}`,
    `body: email=qa%40vor.test&password=${new URLSearchParams({ p: password }).toString().slice(2)}`,
    `body: ${JSON.stringify({ note: password })}`,
    `plain ${password}`,
  ]) {
    const out = redactor.string(echoed);
    assert.ok(!out.includes('S3cr3t'), `leaked in ${out}`);
  }
});

test('a flag under a secret-sounding key is a finding, not a secret (CORS allowCredentials)', () => {
  const out = createRedactor().evidence({
    allowCredentials: 'true',
    headers: { 'access-control-allow-credentials': 'true', authorization: 'Basic dXNlcjpwYXNz' },
    credentials: { email: 'qa@vor.test', password: 'hunter22' },
  });
  assert.deepEqual(out, {
    allowCredentials: 'true',
    headers: { 'access-control-allow-credentials': 'true', authorization: '[redacted]' },
    credentials: '[redacted]',
  });
});
