/** Test helpers for the reference target: raw HTTPS requests trusting its CA, TLS handshakes. */
import http from 'node:http';
import https from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import tls from 'node:tls';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  setCookies: string[];
  /** Decoded body (decompressed when Content-Encoding is br/gzip). */
  body: string;
  /** Bytes as received on the wire (before decompression). */
  wireBytes: number;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | object;
  ca?: string;
  timeoutMs?: number;
}

/** One request on a fresh connection (no keep-alive), never following redirects. Rejects on timeout. */
export function request(url: string, options: RequestOptions = {}): Promise<RawResponse> {
  const u = new URL(url);
  const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const headers: Record<string, string> = { ...options.headers };
  if (body !== undefined && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-type'))
    headers['Content-Type'] = 'application/json';
  if (body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(body));
  const mod = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(
      u,
      {
        method: options.method ?? 'GET',
        headers,
        agent: false,
        ...(u.protocol === 'https:' && options.ca !== undefined ? { ca: options.ca } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const raw = Buffer.concat(chunks);
          const enc = res.headers['content-encoding'];
          const decoded = enc === 'br' ? brotliDecompressSync(raw) : enc === 'gzip' ? gunzipSync(raw) : raw;
          const sc = res.headers['set-cookie'];
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            setCookies: sc ?? [],
            body: decoded.toString('utf8'),
            wireBytes: raw.length,
          });
        });
      },
    );
    req.setTimeout(options.timeoutMs ?? 10_000, () => req.destroy(new Error(`timeout after ${options.timeoutMs ?? 10_000} ms: ${url}`)));
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

export interface Handshake {
  ok: boolean;
  authorized: boolean;
  errorCode?: string;
  protocol?: string | null;
  cipher?: string;
  peerChainLength?: number;
  cert?: tls.PeerCertificate;
}

/** A TLS handshake to host:port; `ok` when the handshake completed (authorized or not with rejectUnauthorized:false). */
export function handshake(url: string, options: tls.ConnectionOptions = {}): Promise<Handshake> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const host = u.hostname.replace(/^\[|\]$/g, '');
    const socket = tls.connect({ host, port: Number(u.port), ...(host.match(/^[\d.]+$|:/) ? {} : { servername: host }), ...options });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ ok: false, authorized: false, errorCode: 'TIMEOUT' });
    }, 5000);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const cert = socket.getPeerCertificate(true);
      let len = 0;
      const seen = new Set<string>();
      for (
        let c: tls.DetailedPeerCertificate | undefined = cert;
        c !== undefined && c.raw !== undefined && !seen.has(c.fingerprint256);
        c = c.issuerCertificate
      ) {
        seen.add(c.fingerprint256);
        len++;
      }
      resolve({
        ok: true,
        authorized: socket.authorized,
        protocol: socket.getProtocol(),
        cipher: socket.getCipher().name,
        peerChainLength: len,
        cert,
        ...(socket.authorizationError === null || socket.authorizationError === undefined
          ? {}
          : { errorCode: String(socket.authorizationError) }),
      });
      socket.end();
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ ok: false, authorized: false, errorCode: err.code ?? err.message });
    });
  });
}

/** `name=value` of a Set-Cookie line, and its attributes lower-cased. */
export function parseSetCookie(line: string): { name: string; value: string; attrs: Map<string, string> } {
  const [pair = '', ...rest] = line.split(';');
  const eq = pair.indexOf('=');
  const attrs = new Map<string, string>();
  for (const a of rest) {
    const i = a.indexOf('=');
    attrs.set((i === -1 ? a : a.slice(0, i)).trim().toLowerCase(), i === -1 ? '' : a.slice(i + 1).trim());
  }
  return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), attrs };
}

export function cookieHeader(setCookies: readonly string[]): string {
  return setCookies.map((l) => l.split(';')[0]).join('; ');
}
