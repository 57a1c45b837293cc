import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyFailure, type FailureReason } from './failure.js';

const withCode = (code: string, message = code): Error => Object.assign(new Error(message), { code });

const cases: { name: string; error: unknown; reason: FailureReason }[] = [
  { name: 'ECONNREFUSED', error: withCode('ECONNREFUSED'), reason: 'connection_refused' },
  { name: 'ECONNRESET', error: withCode('ECONNRESET'), reason: 'connection_reset' },
  { name: 'undici socket closed', error: withCode('UND_ERR_SOCKET'), reason: 'connection_reset' },
  { name: 'ENOTFOUND', error: withCode('ENOTFOUND'), reason: 'dns_failed' },
  { name: 'EAI_AGAIN', error: withCode('EAI_AGAIN'), reason: 'dns_failed' },
  { name: 'AbortSignal.timeout', error: new DOMException('The operation was aborted due to timeout', 'TimeoutError'), reason: 'timeout' },
  { name: 'headers timeout', error: withCode('UND_ERR_HEADERS_TIMEOUT'), reason: 'timeout' },
  { name: 'garbage instead of HTTP', error: withCode('HPE_INVALID_CONSTANT'), reason: 'unparseable_response' },
  {
    name: 'undici parser error without a code',
    error: Object.assign(new Error('Response does not match the HTTP/1.1 protocol'), { name: 'HTTPParserError', code: undefined }),
    reason: 'unparseable_response',
  },
  { name: 'header overflow', error: withCode('UND_ERR_HEADERS_OVERFLOW'), reason: 'unparseable_response' },
  { name: 'bad JSON', error: new SyntaxError('Unexpected token < in JSON'), reason: 'unparseable_response' },
  { name: 'TLS wrong version', error: withCode('ERR_SSL_WRONG_VERSION_NUMBER'), reason: 'tls_handshake_failed' },
  {
    name: 'fetch failed wrapping ECONNREFUSED',
    error: new TypeError('fetch failed', { cause: withCode('ECONNREFUSED') }),
    reason: 'connection_refused',
  },
  { name: 'a plain bug', error: new RangeError('oops'), reason: 'internal' },
  { name: 'a thrown string', error: 'weird', reason: 'internal' },
];

for (const c of cases) {
  test(`classifies ${c.name} as ${c.reason}`, () => {
    assert.equal(classifyFailure(c.error).reason, c.reason);
  });
}
