/**
 * Finds where each HTTP/1.1 response ends on a keep-alive connection and reads its status code;
 * nothing else. A load generator needs no header values, and decoding them is what a general
 * parser spends its time on: http-parser-js (what autocannon uses) costs about 10 µs a response
 * here, a third of the whole per-request budget at 30 k req/s on one core. This scans bytes and
 * allocates nothing on the common path (the head in one read).
 */

const CR = 13;
const LF = 10;
const COLON = 58;
const HEAD_END = Buffer.from('\r\n\r\n', 'latin1');
/** A head bigger than this is not a response a load run should keep reading. */
export const MAX_HEAD_BYTES = 64 * 1024;

const enum State {
  Head,
  Body,
  ChunkSize,
  ChunkExtension,
  ChunkData,
  ChunkDataEnd,
  Trailers,
  UntilClose,
}

const lower = (byte: number): number => (byte >= 65 && byte <= 90 ? byte + 32 : byte);

function nameIs(bytes: Uint8Array, start: number, end: number, name: string): boolean {
  if (end - start !== name.length) return false;
  for (let i = 0; i < name.length; i += 1) if (lower(bytes[start + i] as number) !== name.charCodeAt(i)) return false;
  return true;
}

export class ResponseFramer {
  private state = State.Head;
  /** Bytes of a head split across reads, copied (a reused read buffer would overwrite them). */
  private partialHead: Buffer | undefined;
  private remaining = 0;
  private chunkSize = 0;
  private chunkDigits = 0;
  private trailerLineLength = 0;
  private status = 0;
  private closes = false;
  /** A response to HEAD has no body, whatever its Content-Length says. */
  headRequest = false;

  /** `closes`: the server closes the connection after this response (Connection: close, or HTTP/1.0 without keep-alive). */
  constructor(private readonly complete: (status: number, closes: boolean) => void) {}

  reset(): void {
    this.state = State.Head;
    this.partialHead = undefined;
  }

  /** Feeds bytes [start, end) of a read; returns an error for a response it cannot frame. */
  execute(bytes: Buffer, start: number, end: number): Error | undefined {
    let at = start;
    while (at < end) {
      switch (this.state) {
        case State.Head: {
          const consumed = this.head(bytes, at, end);
          if (consumed instanceof Error) return consumed;
          at = consumed;
          break;
        }
        case State.Body: {
          const take = Math.min(this.remaining, end - at);
          this.remaining -= take;
          at += take;
          if (this.remaining === 0) this.finish();
          break;
        }
        case State.ChunkData: {
          const take = Math.min(this.remaining, end - at);
          this.remaining -= take;
          at += take;
          if (this.remaining === 0) this.state = State.ChunkDataEnd;
          break;
        }
        case State.UntilClose:
          return undefined;
        default: {
          const result = this.chunked(bytes[at] as number);
          if (result !== undefined) return result;
          at += 1;
        }
      }
    }
    return undefined;
  }

  /** At end of stream: whether that completed a response whose body runs to the close. */
  end(): boolean {
    if (this.state !== State.UntilClose) return false;
    this.finish();
    return true;
  }

  private finish(): void {
    this.state = State.Head;
    this.complete(this.status, this.closes);
  }

  /** Returns where the head ended (and the body starts), or `end` when it is still incomplete. */
  private head(bytes: Buffer, start: number, end: number): number | Error {
    let buffer = bytes;
    let from = start;
    let to = end;
    if (this.partialHead !== undefined) {
      buffer = Buffer.concat([this.partialHead, bytes.subarray(start, end)]);
      from = 0;
      to = buffer.length;
    }
    const headEnd = buffer.indexOf(HEAD_END, from);
    if (headEnd === -1 || headEnd + 4 > to) {
      if (to - from > MAX_HEAD_BYTES) return new Error(`response head larger than ${MAX_HEAD_BYTES} bytes`);
      this.partialHead = Buffer.from(buffer.subarray(from, to));
      return end;
    }
    this.partialHead = undefined;
    const error = this.parseHead(buffer, from, headEnd + 2);
    if (error !== undefined) return error;
    // Bytes of this read after the head: the position in `bytes`, not in a joined copy.
    return end - (to - (headEnd + 4));
  }

  /** Status line and the two headers that frame the body; [start, end) ends with the last header's CRLF. */
  private parseHead(b: Buffer, start: number, end: number): Error | undefined {
    // "HTTP/1.x NNN"
    if (end - start < 12 || b[start] !== 72 || b[start + 4] !== 47 || b[start + 5] !== 49 || b[start + 8] !== 32)
      return new Error(`not an HTTP/1.x response: ${JSON.stringify(b.toString('latin1', start, Math.min(end, start + 40)))}`);
    const d0 = (b[start + 9] as number) - 48;
    const d1 = (b[start + 10] as number) - 48;
    const d2 = (b[start + 11] as number) - 48;
    if (d0 < 1 || d0 > 5 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return new Error('response status is not a 3-digit code');
    const status = d0 * 100 + d1 * 10 + d2;
    let contentLength = -1;
    let chunked = false;
    let connection: string | undefined;
    let line = start;
    while (line < end) {
      let lineEnd = b.indexOf(LF, line);
      if (lineEnd === -1 || lineEnd > end) lineEnd = end;
      const first = lower(b[line] as number);
      if (line !== start && (first === 99 || first === 116)) {
        let colon = line;
        while (colon < lineEnd && b[colon] !== COLON) colon += 1;
        if (nameIs(b, line, colon, 'content-length')) {
          let value = 0;
          let digits = 0;
          for (let i = colon + 1; i < lineEnd; i += 1) {
            const c = b[i] as number;
            if (c >= 48 && c <= 57) {
              value = value * 10 + (c - 48);
              digits += 1;
            } else if (c !== 32 && c !== 9 && c !== CR) return new Error('invalid Content-Length');
          }
          if (digits === 0 || (contentLength !== -1 && contentLength !== value)) return new Error('invalid Content-Length');
          contentLength = value;
        } else if (nameIs(b, line, colon, 'transfer-encoding')) {
          chunked = /(?:^|,)\s*chunked\s*$/i.test(b.toString('latin1', colon + 1, lineEnd).trim());
        } else if (nameIs(b, line, colon, 'connection')) {
          connection = b.toString('latin1', colon + 1, lineEnd).toLowerCase();
        }
      }
      line = lineEnd + 1;
    }
    if (status === 101) return new Error('the server switched protocols (101); a load run speaks HTTP/1.1 only');
    if (status < 200) return undefined; // 100 Continue and other interim answers: the real one follows
    this.status = status;
    const http10 = b[start + 7] === 48;
    this.closes =
      connection === undefined
        ? http10
        : /(?:^|,)\s*close\s*(?:,|$)/.test(connection.trim()) || (http10 && !connection.includes('keep-alive'));
    if (this.headRequest || status === 204 || status === 304) this.finish();
    else if (chunked) {
      this.state = State.ChunkSize;
      this.chunkSize = 0;
      this.chunkDigits = 0;
    } else if (contentLength === 0) this.finish();
    else if (contentLength > 0) {
      this.state = State.Body;
      this.remaining = contentLength;
    } else this.state = State.UntilClose;
    return undefined;
  }

  /** One byte of chunked framing (chunk data itself is skipped in bulk by the caller). */
  private chunked(c: number): Error | undefined {
    switch (this.state) {
      case State.ChunkSize: {
        const digit = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
        if (digit >= 0) {
          if ((this.chunkDigits += 1) > 12) return new Error('chunk size too large');
          this.chunkSize = this.chunkSize * 16 + digit;
          return undefined;
        }
        if (this.chunkDigits === 0) return new Error('invalid chunk size');
        this.state = State.ChunkExtension;
        return this.chunked(c);
      }
      case State.ChunkExtension:
        if (c !== LF) return undefined;
        if (this.chunkSize === 0) {
          this.state = State.Trailers;
          this.trailerLineLength = 0;
        } else {
          this.state = State.ChunkData;
          this.remaining = this.chunkSize;
        }
        return undefined;
      case State.ChunkDataEnd:
        if (c === LF) {
          this.state = State.ChunkSize;
          this.chunkSize = 0;
          this.chunkDigits = 0;
        } else if (c !== CR) return new Error('chunk data not followed by CRLF');
        return undefined;
      case State.Trailers:
        if (c === LF) {
          if (this.trailerLineLength === 0) this.finish();
          this.trailerLineLength = 0;
        } else if (c !== CR) this.trailerLineLength += 1;
        return undefined;
      default:
        return undefined;
    }
  }
}
