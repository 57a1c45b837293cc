/** A local stand-in for Sentry's ingest: decodes the envelope protocol the SDK really sends. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync, inflateSync, brotliDecompressSync } from 'node:zlib';

export interface EnvelopeItem {
  readonly type: string;
  readonly header: Record<string, unknown>;
  readonly payload: Record<string, unknown>;
}

export interface Envelope {
  readonly project: string;
  readonly header: Record<string, unknown>;
  readonly items: readonly EnvelopeItem[];
  /** The decoded body as received, to assert that no secret appears anywhere in it. */
  readonly raw: string;
  /** X-Sentry-Auth header and query string (the Node transport sends sentry_key in the query). */
  readonly auth: string;
}

export interface IngestStandIn {
  readonly dsn: string;
  readonly envelopes: Envelope[];
  /** HTTP status answered to envelope POSTs (200 = accepted). */
  status: number;
  requests(): number;
  items(type: string): EnvelopeItem[];
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Envelope = header line, then per item: an item header line and a payload (of `length` bytes, else up to the newline). */
export function parseEnvelope(body: Buffer): { header: Record<string, unknown>; items: EnvelopeItem[] } {
  let offset = 0;
  const readLine = (): string => {
    const end = body.indexOf(0x0a, offset);
    const line = body.subarray(offset, end === -1 ? body.length : end).toString('utf8');
    offset = end === -1 ? body.length : end + 1;
    return line;
  };
  const header = JSON.parse(readLine()) as Record<string, unknown>;
  const items: EnvelopeItem[] = [];
  while (offset < body.length) {
    const line = readLine();
    if (line.trim() === '') continue;
    const itemHeader = JSON.parse(line) as Record<string, unknown>;
    let payloadText: string;
    if (typeof itemHeader.length === 'number') {
      payloadText = body.subarray(offset, offset + itemHeader.length).toString('utf8');
      offset += itemHeader.length;
      if (body[offset] === 0x0a) offset += 1;
    } else {
      payloadText = readLine();
    }
    items.push({ type: String(itemHeader.type), header: itemHeader, payload: JSON.parse(payloadText) as Record<string, unknown> });
  }
  return { header, items };
}

function decode(body: Buffer, encoding: string | undefined): Buffer {
  switch (encoding) {
    case 'gzip':
      return gunzipSync(body);
    case 'deflate':
      return inflateSync(body);
    case 'br':
      return brotliDecompressSync(body);
    default:
      return body;
  }
}

export async function startIngest(): Promise<IngestStandIn> {
  const envelopes: Envelope[] = [];
  let count = 0;
  const state = { status: 200 };
  const server = createServer((req, res) => {
    count += 1;
    const match = /^\/api\/([^/]+)\/envelope\/?(\?.*)?$/.exec(req.url ?? '');
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || match === null) {
        res.writeHead(404).end();
        return;
      }
      try {
        const raw = decode(Buffer.concat(chunks), req.headers['content-encoding']);
        const parsed = parseEnvelope(raw);
        envelopes.push({
          project: match[1] ?? '',
          ...parsed,
          raw: raw.toString('utf8'),
          auth: `${String(req.headers['x-sentry-auth'] ?? '')} ${match[2] ?? ''}`,
        });
        res.writeHead(state.status, { 'content-type': 'application/json' }).end('{}');
      } catch (error) {
        res.writeHead(400).end(String(error));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const ingest: IngestStandIn = {
    dsn: `http://publickey@127.0.0.1:${port}/1`,
    envelopes,
    get status() {
      return state.status;
    },
    set status(value: number) {
      state.status = value;
    },
    requests: () => count,
    items: (type) => envelopes.flatMap((e) => e.items.filter((i) => i.type === type)),
    async waitFor(predicate, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error('timed out waiting for the ingest stand-in');
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return ingest;
}
