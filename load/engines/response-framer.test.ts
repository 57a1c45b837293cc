import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_HEAD_BYTES, ResponseFramer } from './response-framer.js';

const NGINX =
  'HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Sun, 29 Nov 2026 12:02:00 GMT\r\nContent-Type: text/plain\r\n' +
  'Content-Length: 8\r\nConnection: keep-alive\r\nETag: "6b0c13b0-80"\r\n\r\nxxxxxxxx';
const CHUNKED =
  'HTTP/1.1 200 OK\r\nTRANSFER-ENCODING: gzip, chunked\r\n\r\n' +
  '5;name=value\r\nhello\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-Checksum: 1\r\nX-Other: 2\r\n\r\n';
const EMPTY_404 = 'HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n';

/**
 * Feeds `text` cut at `cuts`, each piece copied into one reused buffer with stale bytes after it,
 * as the socket's reused read buffer delivers them; returns the statuses of complete responses.
 */
function frame(text: string, cuts: readonly number[], setup: (f: ResponseFramer) => void = () => undefined) {
  const statuses: number[] = [];
  const closing: boolean[] = [];
  const framer = new ResponseFramer((status, closes) => {
    statuses.push(status);
    closing.push(closes);
  });
  setup(framer);
  const bytes = Buffer.from(text, 'latin1');
  const readBuffer = Buffer.alloc(bytes.length + 64, '\r\n\r\nHTTP/1.1 500 stale\r\n\r\n');
  let error: Error | undefined;
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    bytes.copy(readBuffer, 7, from, cut);
    error ??= framer.execute(readBuffer, 7, 7 + cut - from);
    from = cut;
  }
  return { statuses, closing, error, framer };
}

/** Every way to cut the stream in two, and byte by byte: the framing may not depend on how reads split it. */
function assertFramesAnyway(text: string, expected: readonly number[], setup?: (f: ResponseFramer) => void): void {
  const splits = [[], Array.from({ length: text.length - 1 }, (_, i) => i + 1)];
  for (let cut = 1; cut < text.length; cut += 1) splits.push([cut]);
  for (const cuts of splits) {
    const { statuses, error } = frame(text, cuts, setup);
    assert.equal(error, undefined, `cut at ${cuts.slice(0, 3).join(',')}: ${error?.message}`);
    assert.deepEqual(statuses, expected, `cut at ${cuts.slice(0, 3).join(',')}`);
  }
}

describe('response framing on a keep-alive connection', () => {
  it('responses with a Content-Length, back to back, however the reads split them', () => {
    assertFramesAnyway(NGINX + NGINX + EMPTY_404, [200, 200, 404]);
  });

  it('chunked bodies with extensions and trailers, then the next response', () => {
    assertFramesAnyway(CHUNKED + EMPTY_404, [200, 404]);
  });

  it('no body for 204, 304 and an answer to HEAD; interim 100 answers are skipped', () => {
    assertFramesAnyway(
      'HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n' + EMPTY_404,
      [204, 304, 404],
    );
    assertFramesAnyway('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok', [201]);
    assertFramesAnyway('HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n' + EMPTY_404, [200, 404], (f) => (f.headRequest = true));
  });

  it('a body without length or chunking ends with the connection', () => {
    const { statuses, framer } = frame('HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it until the close', [30]);
    assert.deepEqual(statuses, []);
    assert.equal(framer.end(), true);
    assert.deepEqual(statuses, [200]);
    assert.equal(frame(NGINX.slice(0, -2), []).framer.end(), false, 'a body cut short by the close is no response');
  });

  it('says when the server closes the connection after a response', () => {
    const closing = (head: string) => frame(`${head}\r\nContent-Length: 0\r\n\r\n`, []).closing;
    assert.deepEqual(closing('HTTP/1.1 200 OK'), [false]);
    assert.deepEqual(closing('HTTP/1.1 200 OK\r\nConnection: keep-alive'), [false]);
    assert.deepEqual(closing('HTTP/1.1 200 OK\r\nCONNECTION: Close'), [true]);
    assert.deepEqual(closing('HTTP/1.0 200 OK'), [true]);
    assert.deepEqual(closing('HTTP/1.0 200 OK\r\nConnection: keep-alive'), [false]);
  });

  it('refuses what is not an HTTP/1.x response it can frame', () => {
    for (const [text, message] of [
      ['hello there, this is not http\r\n\r\n', /not an HTTP\/1.x response/],
      ['HTTP/1.1 2OO OK\r\n\r\n', /3-digit/],
      ['HTTP/1.1 200 OK\r\nContent-Length: 12x\r\n\r\n', /Content-Length/],
      ['HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n', /Content-Length/],
      ['HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n', /switched protocols/],
      ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', /chunk size/],
      [`HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(MAX_HEAD_BYTES)}`, /larger than/],
    ] as const) {
      const { error, statuses } = frame(text, [5]);
      assert.match(error?.message ?? 'no error', message, text.slice(0, 40));
      assert.deepEqual(statuses, []);
    }
  });
});
