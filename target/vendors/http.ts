/** What both vendor servers share: the HTTPS server with its sockets and delays, body parsing, response helpers. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import { isIP, type AddressInfo, type Socket } from 'node:net';

export interface Tls {
  key: string | Buffer;
  cert: string | Buffer;
}

/** A request the vendor answers; `url` is already parsed against the vendor's origin. */
export type Route = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> | void;

export interface VendorServer {
  readonly origin: string;
  close(): Promise<void>;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const MAX_BODY_BYTES = 64 * 1024;

export const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

export function originOf(host: string, port: number): string {
  return `https://${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}

/**
 * The embedding page's origin as the SDK passed it (`?origin=`), or undefined when it is not a plain
 * http(s) origin. Frames post only to this origin and only this origin may frame them.
 */
export function embedderOrigin(url: URL): string | undefined {
  const raw = url.searchParams.get('origin');
  if (raw === null) return undefined;
  try {
    const parsed = new URL(raw);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
    return parsed.origin === raw ? raw : undefined;
  } catch {
    return undefined;
  }
}

/** CSP of a vendor document: its own scripts and styles only; `frameAncestors` says who may embed it. */
export function documentCsp(frameAncestors: string, formAction = "'self'"): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "connect-src 'self'",
    "img-src 'self' data:",
    `form-action ${formAction}`,
    "base-uri 'none'",
    `frame-ancestors ${frameAncestors}`,
  ].join('; ');
}

function baseHeaders(res: ServerResponse): void {
  res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin');
  res.setHeader('Cache-Control', 'no-store');
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  baseHeaders(res);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendHtml(res: ServerResponse, status: number, html: string, headers: { csp: string } & Record<string, string>): void {
  const { csp, ...rest } = headers;
  baseHeaders(res);
  res.setHeader('Content-Security-Policy', csp);
  for (const [name, value] of Object.entries(rest)) res.setHeader(name, value);
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(html) });
  res.end(html);
}

/** A script or stylesheet any page may load (no credentials involved, so `*` is safe). */
export function sendAsset(res: ServerResponse, type: 'js' | 'css', body: string): void {
  baseHeaders(res);
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
  const contentType = type === 'js' ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8';
  res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

export function redirect(res: ServerResponse, location: string): void {
  baseHeaders(res);
  res.writeHead(303, { Location: location, 'Content-Length': 0 });
  res.end();
}

/** A minimal standalone HTML document (error pages, 503s). */
export function htmlDocument(title: string, body: string, stylesheet?: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
${stylesheet === undefined ? '' : `<link rel="stylesheet" href="${esc(stylesheet)}">`}
</head>
<body>
${body}
</body>
</html>
`;
}

function flatten(value: unknown, prefix: string, out: Record<string, string>): void {
  if (value === null || value === undefined) return;
  if (typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) flatten(inner, prefix === '' ? key : `${prefix}[${key}]`, out);
    return;
  }
  out[prefix] = String(value);
}

/**
 * The request body as flat fields, the way Stripe's form encoding names them (`a[b][c]`): form-encoded
 * bodies as they are, JSON objects flattened to the same names. Throws HttpError 400/413/415.
 */
export async function readFields(req: IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'request body too large');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (text.trim() === '') return {};
  if (type === 'application/json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new HttpError(400, 'body is not valid JSON');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new HttpError(400, 'body must be a JSON object');
    const out: Record<string, string> = {};
    flatten(parsed, '', out);
    return out;
  }
  if (type === 'application/x-www-form-urlencoded' || type === '') return Object.fromEntries(new URLSearchParams(text));
  throw new HttpError(415, `unsupported content type ${type}; send JSON or form-encoded`);
}

/** Timers that close() can cancel: a pending slowMs delay must not keep the process alive. */
class Delays {
  private readonly pending = new Map<NodeJS.Timeout, (elapsed: boolean) => void>();

  /** Resolves true after `ms`, or false when cancelled by close(). */
  wait(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(timer);
        resolve(true);
      }, ms);
      this.pending.set(timer, resolve);
    });
  }

  cancelAll(): void {
    for (const [timer, resolve] of this.pending) {
      clearTimeout(timer);
      resolve(false);
    }
    this.pending.clear();
  }
}

export interface StartOptions {
  name: string;
  host: string;
  tls: Tls;
  /** Milliseconds to hold every response back (read per request). */
  delayMs: () => number;
  /** Builds the routes once the origin (and so the port) is known. */
  routes: (origin: string) => Route;
  /** The vendor's JSON error shape. */
  errorBody: (status: number, message: string) => unknown;
  log: (message: string) => void;
}

export async function startVendorServer(options: StartOptions): Promise<VendorServer> {
  const sockets = new Set<Socket>();
  const delays = new Delays();
  let closing = false;
  let route: Route = () => undefined;
  let origin = '';

  const server = createServer({ key: options.tls.key, cert: options.tls.cert, minVersion: 'TLSv1.2' }, (req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', origin);
      const delay = options.delayMs();
      if (delay > 0 && !(await delays.wait(delay))) return;
      if (closing) return;
      await route(req, res, url);
    })().catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : 500;
      if (status === 500)
        options.log(`${options.name}: ${req.method} ${req.url}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      if (res.headersSent) res.destroy();
      else sendJson(res, status, options.errorBody(status, err instanceof HttpError ? err.message : 'internal error'));
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('tlsClientError', () => undefined);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  origin = originOf(options.host, (server.address() as AddressInfo).port);
  route = options.routes(origin);

  return {
    origin,
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        delays.cancelAll();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
