import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRedactor } from './redact.js';

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
const json = (value: unknown): string => JSON.stringify(value);
/** A body (1) inside a trace line (2) inside a report's data (3). */
const nested = (value: unknown, levels: number): string => (levels === 1 ? json(value) : json(nested(value, levels - 1)));

const SHORT = 'abc';
const QUOTED_SHORT = 'q"\\';
const WORD = 'test';
const QUOTED_LONG = 'Pw"leak\\tail-7731';

interface Row {
  readonly name: string;
  readonly secrets: readonly string[];
  readonly input: string;
  /** None of these may survive. */
  readonly gone: readonly string[];
  /** These must survive unchanged (unrelated text, names, structure). */
  readonly kept?: readonly string[];
}

const ROWS: readonly Row[] = [
  // A 3-character password, in every position it takes.
  {
    name: 'short password as a JSON field',
    secrets: [SHORT],
    input: json({ email: 'qa@vor.test', password: SHORT }),
    gone: ['"abc"'],
    kept: ['qa@vor.test'],
  },
  {
    name: 'short password typed (trace fill value)',
    secrets: [SHORT],
    input: json({ method: 'fill', params: { value: SHORT } }),
    gone: ['"abc"'],
    kept: ['"fill"'],
  },
  { name: 'short password in a body inside a trace line', secrets: [SHORT], input: nested({ password: SHORT }, 2), gone: ['\\"abc\\"'] },
  { name: 'short password three levels deep', secrets: [SHORT], input: nested({ note: SHORT }, 3), gone: ['\\\\\\"abc\\\\\\"'] },
  {
    name: 'short password in a form body',
    secrets: [SHORT],
    input: 'email=qa%40vor.test&password=abc',
    gone: ['=abc'],
    kept: ['email=qa%40vor.test'],
  },
  {
    name: 'short password in Basic credentials',
    secrets: [SHORT],
    input: `Authorization: Basic ${b64(`qa@vor.test:${SHORT}`)}`,
    gone: [b64(`qa@vor.test:${SHORT}`)],
    kept: ['Authorization: Basic'],
  },
  {
    name: 'short password in URL userinfo',
    secrets: [SHORT],
    input: 'GET https://qa:abc@127.0.0.1:8443/api/me',
    gone: [':abc@'],
    kept: ['127.0.0.1:8443/api/me'],
  },
  {
    name: 'a short secret inside words is left alone',
    secrets: [SHORT],
    input: 'abcdef, xabc and abc-def stay',
    gone: [],
    kept: ['abcdef, xabc and abc-def stay'],
  },
  // A password with a quote and a backslash: masked whole, never up to its first `"` or `\`.
  { name: 'quoted short password as JSON field', secrets: [QUOTED_SHORT], input: json({ password: QUOTED_SHORT }), gone: ['q\\"', '\\\\'] },
  {
    name: 'quoted short password typed, two levels deep',
    secrets: [QUOTED_SHORT],
    input: nested({ value: QUOTED_SHORT }, 2),
    gone: ['q\\\\\\"'],
  },
  {
    name: 'quoted short password URL-encoded in a form',
    secrets: [QUOTED_SHORT],
    input: `password=${encodeURIComponent(QUOTED_SHORT)}`,
    gone: ['q%22%5C'],
  },
  {
    name: 'quoted long password raw',
    secrets: [QUOTED_LONG],
    input: `typed ${QUOTED_LONG} into the field`,
    gone: ['leak', 'tail-7731'],
    kept: ['typed ', ' into the field'],
  },
  {
    name: 'quoted long password JSON-escaped',
    secrets: [QUOTED_LONG],
    input: json({ note: `x ${QUOTED_LONG} y` }),
    gone: ['leak', 'tail-7731'],
  },
  {
    name: 'quoted long password JSON-escaped twice',
    secrets: [QUOTED_LONG],
    input: nested({ note: `x ${QUOTED_LONG} y` }, 2),
    gone: ['leak', 'tail-7731'],
  },
  {
    name: 'quoted long password URL-encoded',
    secrets: [QUOTED_LONG],
    input: `next=${encodeURIComponent(`a ${QUOTED_LONG}`)}`,
    gone: ['leak', 'tail-7731'],
  },
  {
    name: 'quoted long password form-encoded',
    secrets: [QUOTED_LONG],
    input: new URLSearchParams({ p: QUOTED_LONG }).toString(),
    gone: ['leak', 'tail-7731'],
  },
  {
    name: 'quoted long password HTML-escaped',
    secrets: [QUOTED_LONG],
    input: '<td>Pw&quot;leak\\tail-7731</td>',
    gone: ['leak', 'tail-7731'],
    kept: ['<td>', '</td>'],
  },
  {
    name: 'long password inside base64',
    secrets: [QUOTED_LONG],
    input: `x-auth: ${b64(`someone:${QUOTED_LONG}`)}`,
    gone: [b64(`someone:${QUOTED_LONG}`).slice(12, 24)],
  },
  // A dictionary word as password: masked where it is a value, never inside other text.
  {
    name: 'word password as JSON field',
    secrets: [WORD],
    input: json({ email: 'qa@vor.test', password: WORD }),
    gone: ['"test"'],
    kept: ['qa@vor.test'],
  },
  { name: 'word password typed', secrets: [WORD], input: nested({ params: { value: WORD } }, 2), gone: ['\\"test\\"'] },
  {
    name: 'word password in a form',
    secrets: [WORD],
    input: 'email=qa%40vor.test&password=test',
    gone: ['=test'],
    kept: ['email=qa%40vor.test'],
  },
  {
    name: 'ordinary words are not corrupted by a word password',
    secrets: [WORD],
    input: 'the test user qa@vor.test signed in at /test-support/users; testing, tested, attest',
    gone: ['[redacted]'],
    kept: ['the test user qa@vor.test signed in at /test-support/users; testing, tested, attest'],
  },
  // Secrets found by position, known or not.
  {
    name: 'Cookie header line',
    secrets: [],
    input: 'cookie: theme=dark; vor_session=s3ss10n-xyz',
    gone: ['dark', 's3ss10n-xyz'],
    kept: ['theme=', 'vor_session='],
  },
  {
    name: 'Set-Cookie line keeps attributes',
    secrets: [],
    input: 'Set-Cookie: vor_session=s3ss10n-xyz; Path=/; Secure; HttpOnly',
    gone: ['s3ss10n-xyz'],
    kept: ['Path=/; Secure; HttpOnly'],
  },
  {
    name: 'HAR header pair',
    secrets: [],
    input: json({
      headers: [
        { name: 'Authorization', value: 'Bearer opaque.tok-en' },
        { name: 'Accept', value: 'text/html' },
      ],
    }),
    gone: ['opaque.tok-en'],
    kept: ['text/html'],
  },
  {
    name: 'cookie object of a storage state',
    secrets: [],
    input: nested({ cookies: [{ name: 'vor_session', value: 'abc', domain: '127.0.0.1' }] }, 2),
    gone: ['\\"abc\\"'],
    kept: ['127.0.0.1'],
  },
  {
    name: 'token fields at any depth',
    secrets: [],
    input: nested({ accessToken: 'opaque-1', refresh_token: 'opaque-2', csrfToken: 'x' }, 3),
    gone: ['opaque-1', 'opaque-2', 'x\\\\\\"'],
  },
  {
    name: 'query parameters named like secrets',
    secrets: [],
    input: 'GET /cb?token=t0k3n&api_key=k3y&key=k&page=2&sort=name',
    gone: ['t0k3n', 'k3y', 'key=k&'],
    kept: ['page=2', 'sort=name'],
  },
  {
    name: 'URL userinfo and DSN keys',
    secrets: [],
    input: 'https://user:hunter2@host.test/x and https://0123abcd@o1.ingest.sentry.io/5',
    gone: ['hunter2', '0123abcd'],
    kept: ['@host.test/x', '@o1.ingest.sentry.io/5'],
  },
  {
    name: 'findings and ordinary text survive',
    secrets: [],
    input: json({
      allowCredentials: 'true',
      tokenMaxLifetimeHours: 48,
      message: 'Basic authentication is required; the token lifetime is 48 h on https://127.0.0.1:8443/',
    }),
    gone: ['[redacted]'],
    kept: ['"allowCredentials":"true"', 'Basic authentication is required; the token lifetime is 48 h'],
  },
];

for (const row of ROWS) {
  test(`redaction: ${row.name}`, () => {
    const out = createRedactor(row.secrets).string(row.input);
    for (const gone of row.gone) assert.ok(!out.includes(gone), `"${gone}" survives in ${out}`);
    for (const kept of row.kept ?? []) assert.ok(out.includes(kept), `"${kept}" lost in ${out}`);
    if (row.gone.length > 0 && row.gone[0] !== '[redacted]') assert.ok(out.includes('[redacted]'), out);
  });
}

test('redaction shows control characters as escapes, keeping line feeds', () => {
  assert.equal(createRedactor().string('a\u001b[2J\rb\nc\u009b'), 'a\\x1b[2J\\rb\nc\\x9b');
});

test('a word password that is also a JSON key leaves the key alone', () => {
  const out = createRedactor([WORD]).string(json({ test: { status: 'passed', note: WORD } }));
  assert.equal(out, '{"test":{"status":"passed","note":"[redacted]"}}');
});

test('a short password a trace title quotes without escaping is masked whole', () => {
  const line = json({ title: `Fill "${QUOTED_SHORT}"`, message: `  fill("${QUOTED_SHORT}")` });
  assert.equal(createRedactor([QUOTED_SHORT]).string(line), '{"title":"Fill \\"[redacted]\\"","message":"  fill(\\"[redacted]\\")"}');
});
