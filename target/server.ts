/**
 * The reference VÖR target: an HTTPS site + JSON API on loopback, with a local CA, a plain-HTTP port that
 * redirects, and fault switches (target/faults.ts) that break exactly one property each.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import net, { type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { AssetRegistry } from './assets.js';
import { loadLocalCa, type CertProfile, type LocalCa } from './ca.js';
import { INSTITUTIONS, Store, type User } from './db.js';
import { activeFaults, applyFaults, defaultFaults, type Faults } from './faults.js';
import * as pages from './pages.js';

export type { Faults } from './faults.js';

export interface TargetOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** HTTPS port; 0 (default) = a free one. */
  port?: number;
  /** Plain-HTTP port; 0 (default) = a free one. */
  httpPort?: number;
  faults?: Partial<Faults>;
  /** Default: VOR_TEST_USER_EMAIL / VOR_TEST_USER_PASSWORD, else qa@vor.test / vor-demo-password. */
  testUser?: { email: string; password: string };
  /** The front-end origin the API allows (CORS) and trusts (CSRF). Default: the target's own origin. */
  allowedOrigin?: string;
  /** Where SQLite lives. Default: a fresh temp dir, removed on close. */
  stateDir?: string;
  /** No log output. */
  quiet?: boolean;
  /** Failed logins per minute per (IP, email) before 429 (default 10); per IP alone: 5×. */
  rateLimitPerMinute?: number;
  /** Addition: where the local CA is cached (default `${XDG_CACHE_HOME:-~/.cache}/vor-watch/ca`). */
  caDir?: string;
  /** Addition: bcrypt cost (default 8; low on purpose so tests and start-up stay fast). */
  bcryptCost?: number;
}

export interface RunningTarget {
  baseUrl: string;
  apiUrl: string;
  httpUrl: string;
  caFile: string;
  caPem: string;
  adminToken: string;
  testUser: { email: string; password: string };
  faults(): Faults;
  setFaults(faults: Partial<Faults>, mode?: 'replace' | 'merge'): void;
  requestCount(): number;
  close(): Promise<void>;
}

export const DEFAULT_TEST_USER = { email: 'qa@vor.test', password: 'vor-demo-password' } as const;

const SESSION_COOKIE = 'vor_session';
const CSRF_COOKIE = 'vor_csrf';
const SESSION_TTL_MS = 8 * 3600_000;
const LONG_TTL_MS = 30 * 86_400_000;
const JWT_TTL_S = 15 * 60;

const CLEAN_CIPHERS = [
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
];
const LEGACY_CIPHERS = ['ECDHE-RSA-AES128-SHA', 'ECDHE-RSA-AES256-SHA'];
const WEAK_CIPHERS = ['AES128-GCM-SHA256', 'AES256-GCM-SHA384', 'AES128-SHA', 'AES256-SHA'];

function certProfileOf(f: Faults): CertProfile {
  if (f.cert_expired) return 'expired';
  if (f.cert_not_yet_valid) return 'not_yet_valid';
  if (f.cert_expiring) return 'expiring';
  if (f.cert_expiring_soon) return 'expiring_soon';
  if (f.cert_self_signed) return 'self_signed';
  if (f.cert_wrong_host) return 'wrong_host';
  if (f.cert_weak_key) return 'weak_key';
  if (f.cert_incomplete_chain) return 'incomplete_chain';
  return 'valid';
}

function tlsKey(f: Faults): string {
  return JSON.stringify([certProfileOf(f), f.tls_legacy, f.weak_ciphers, f.no_tls13]);
}

function secureContextOptions(ca: LocalCa, f: Faults, hosts: readonly string[]): https.ServerOptions {
  const cert = ca.issue({ profile: certProfileOf(f), hosts });
  const ciphers = [...CLEAN_CIPHERS, ...(f.tls_legacy ? LEGACY_CIPHERS : []), ...(f.weak_ciphers ? WEAK_CIPHERS : [])];
  return {
    key: cert.keyPem,
    cert: cert.chainPem,
    minVersion: f.tls_legacy ? 'TLSv1' : 'TLSv1.2',
    maxVersion: f.no_tls13 ? 'TLSv1.2' : 'TLSv1.3',
    ciphers: f.tls_legacy ? `${ciphers.join(':')}:@SECLEVEL=0` : ciphers.join(':'),
    honorCipherOrder: true,
  };
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (header === undefined) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!out.has(name)) {
      try {
        out.set(name, decodeURIComponent(part.slice(eq + 1).trim()));
      } catch {
        out.set(name, part.slice(eq + 1).trim());
      }
    }
  }
  return out;
}

const b64url = (b: Buffer | string): string => Buffer.from(b).toString('base64url');

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms).unref());

async function readBody(req: IncomingMessage, limit = 1_000_000): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, 'request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = await readBody(req);
  if (text.trim() === '') return {};
  const ct = req.headers['content-type'] ?? '';
  if (ct.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
  try {
    const v: unknown = JSON.parse(text);
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
    return v as Record<string, unknown>;
  } catch {
    throw new HttpError(400, 'body must be a JSON object');
  }
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

interface Bucket {
  count: number;
  resetAt: number;
}

export async function startTarget(options: TargetOptions = {}): Promise<RunningTarget> {
  const host = options.host ?? '127.0.0.1';
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const ca = loadLocalCa(options.caDir === undefined ? {} : { dir: options.caDir });
  const certHosts = ['127.0.0.1', '::1', 'localhost', ...(['127.0.0.1', '::1', 'localhost', '0.0.0.0', '::'].includes(host) ? [] : [host])];
  let faults: Faults = applyFaults(defaultFaults(), options.faults ?? {}, 'replace');
  const ownState = options.stateDir === undefined;
  const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), 'vor-target-'));
  const store = new Store(stateDir, options.bcryptCost ?? 8);
  const testUser = options.testUser ?? {
    email:
      process.env.VOR_TEST_USER_EMAIL !== undefined && process.env.VOR_TEST_USER_EMAIL !== ''
        ? process.env.VOR_TEST_USER_EMAIL
        : DEFAULT_TEST_USER.email,
    password:
      process.env.VOR_TEST_USER_PASSWORD !== undefined && process.env.VOR_TEST_USER_PASSWORD !== ''
        ? process.env.VOR_TEST_USER_PASSWORD
        : DEFAULT_TEST_USER.password,
  };
  store.createUser(testUser.email, testUser.password, 'QA Test User');
  const adminToken = randomBytes(24).toString('base64url');
  const jwtSecret = randomBytes(32);
  const rateLimit = options.rateLimitPerMinute ?? 10;
  const buckets = new Map<string, Bucket>();
  const intents = new Map<string, { userId: string; amount: number; currency: string; description: string; status: string }>();
  const publicTokens = new Map<string, { userId: string; institution: string }>();
  const startedAt = Date.now();
  let count = 0;
  let appCount = 0;
  let baseUrl = '';
  let httpUrl = '';
  const log = (msg: string): void => {
    if (options.quiet !== true) process.stderr.write(`[vor-target] ${msg}\n`);
  };

  const assets = new AssetRegistry(() => httpUrl);

  // ---------- sockets ----------
  const rawSockets = new Set<Socket>();
  const tlsSockets = new Set<TLSSocket>();
  const busy = new WeakMap<Socket, number>();
  const closeAfter = new WeakSet<Socket>();
  const trackRaw = (s: Socket): void => {
    rawSockets.add(s);
    s.once('close', () => rawSockets.delete(s));
  };

  let currentTlsKey = tlsKey(faults);
  const httpsServer = https.createServer(secureContextOptions(ca, faults, certHosts));
  httpsServer.keepAliveTimeout = 5000;
  httpsServer.headersTimeout = 10_000;
  httpsServer.on('connection', trackRaw);
  httpsServer.on('secureConnection', (s: TLSSocket) => {
    tlsSockets.add(s);
    s.once('close', () => tlsSockets.delete(s));
  });
  httpsServer.on('tlsClientError', () => undefined);

  const plainServer = http.createServer();
  plainServer.keepAliveTimeout = 5000;
  // The plain-HTTP port also answers TLS (first byte 0x16) so a browser's auto-upgraded mixed-content
  // request still reaches the target; everything else on it is plain HTTP.
  const dualServer = net.createServer((socket) => {
    trackRaw(socket);
    socket.once('data', (buf: Buffer) => {
      socket.pause();
      socket.unshift(buf);
      (buf[0] === 0x16 ? httpsServer : plainServer).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
    socket.on('error', () => undefined);
  });

  const dropTlsConnections = (except?: Socket): void => {
    for (const s of tlsSockets) {
      if (s === except) {
        closeAfter.add(s);
        continue;
      }
      if ((busy.get(s) ?? 0) > 0) closeAfter.add(s);
      else s.destroy();
    }
  };

  const setFaults = (next: Partial<Faults>, mode: 'replace' | 'merge' = 'replace', except?: Socket): void => {
    faults = applyFaults(faults, next, mode);
    const key = tlsKey(faults);
    if (key !== currentTlsKey) {
      currentTlsKey = key;
      httpsServer.setSecureContext(secureContextOptions(ca, faults, certHosts));
      dropTlsConnections(except);
    }
    log(`faults: ${activeFaults(faults).join(', ') || '(none)'}`);
  };

  // ---------- response helpers ----------
  const securityHeaders = (res: ServerResponse, secure: boolean): void => {
    const f = faults;
    res.setHeader('Server', f.server_version ? 'nginx/1.18.0' : 'vor');
    if (f.x_powered_by) res.setHeader('X-Powered-By', 'Express');
    if (secure && !f.no_hsts) {
      res.setHeader(
        'Strict-Transport-Security',
        `max-age=${f.short_hsts ? 300 : 31536000}${f.hsts_no_subdomains ? '' : '; includeSubDomains'}`,
      );
    }
    if (!f.no_csp) {
      const script = f.unsafe_csp ? "script-src 'self' 'unsafe-inline' 'unsafe-eval'" : "script-src 'self'";
      const img = `img-src 'self' data:${f.mixed_content ? ` ${httpUrl}` : ''}`;
      const parts = [
        "default-src 'self'",
        script,
        "style-src 'self'",
        img,
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        ...(f.no_frame_options ? [] : ["frame-ancestors 'none'"]),
      ];
      res.setHeader('Content-Security-Policy', parts.join('; '));
    }
    if (!f.no_nosniff) res.setHeader('X-Content-Type-Options', 'nosniff');
    if (!f.no_frame_options) res.setHeader('X-Frame-Options', 'DENY');
    if (!f.no_referrer_policy)
      res.setHeader('Referrer-Policy', f.unsafe_referrer_policy ? 'unsafe-url' : 'strict-origin-when-cross-origin');
    if (!f.no_permissions_policy) res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=(self)');
    if (!f.no_coop) res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  };

  const sendJson = (res: ServerResponse, status: number, body: unknown, extra: Record<string, string | string[]> = {}): void => {
    const text = JSON.stringify(body);
    res.statusCode = status;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Cache-Control', faults.api_cacheable ? 'public, max-age=300' : 'no-store');
    for (const [k, v] of Object.entries(extra)) res.setHeader(k, v);
    res.setHeader('Content-Length', Buffer.byteLength(text));
    res.end(text);
  };

  const sendHtml = (res: ServerResponse, status: number, html: string, cache = 'no-cache'): void => {
    res.statusCode = status;
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Cache-Control', cache);
    res.setHeader('Content-Length', Buffer.byteLength(html));
    res.end(html);
  };

  const redirect = (res: ServerResponse, location: string, status = 302): void => {
    res.statusCode = status;
    res.setHeader('Location', location);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Length', 0);
    res.end();
  };

  // ---------- auth ----------
  const cookieAttrs = (maxAgeS: number, httpOnly: boolean): string => {
    const f = faults;
    const parts = [`Path=/`, `Max-Age=${maxAgeS}`];
    if (!f.cookie_no_secure) parts.push('Secure');
    if (httpOnly && !f.cookie_no_httponly) parts.push('HttpOnly');
    if (f.cookie_samesite_none) parts.push('SameSite=None');
    else if (!f.cookie_no_samesite) parts.push('SameSite=Lax');
    return parts.join('; ');
  };

  const signJwt = (user: User): { token: string; expiresIn: number | null } => {
    const now = Math.floor(Date.now() / 1000);
    const ttl = faults.long_token_lifetime ? LONG_TTL_MS / 1000 : JWT_TTL_S;
    const payload: Record<string, unknown> = { sub: user.id, email: user.email, iss: baseUrl, iat: now };
    if (!faults.jwt_no_exp) payload.exp = now + ttl;
    const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const body = b64url(JSON.stringify(payload));
    const sig = createHmac('sha256', jwtSecret).update(`${head}.${body}`).digest('base64url');
    return { token: `${head}.${body}.${sig}`, expiresIn: faults.jwt_no_exp ? null : ttl };
  };

  const verifyJwt = (token: string): User | undefined => {
    const [head, body, sig] = token.split('.');
    if (head === undefined || body === undefined || sig === undefined) return undefined;
    const expected = createHmac('sha256', jwtSecret).update(`${head}.${body}`).digest('base64url');
    if (!safeEqual(sig, expected)) return undefined;
    try {
      const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { sub?: string; exp?: number };
      if (typeof payload.exp === 'number' && payload.exp * 1000 < Date.now()) return undefined;
      return typeof payload.sub === 'string' ? store.userById(payload.sub) : undefined;
    } catch {
      return undefined;
    }
  };

  interface Auth {
    user: User;
    via: 'cookie' | 'bearer';
    sessionId?: string;
  }
  const authOf = (req: IncomingMessage, cookies: Map<string, string>): Auth | undefined => {
    const sid = cookies.get(SESSION_COOKIE);
    if (sid !== undefined && sid !== '') {
      const user = store.sessionUser(sid);
      if (user !== undefined) return { user, via: 'cookie', sessionId: sid };
    }
    const authz = req.headers.authorization;
    if (authz !== undefined && authz.startsWith('Bearer ')) {
      const user = verifyJwt(authz.slice(7).trim());
      if (user !== undefined) return { user, via: 'bearer' };
    }
    return undefined;
  };

  const startSession = (res: ServerResponse, user: User): Record<string, unknown> => {
    const ttl = faults.long_token_lifetime ? LONG_TTL_MS : SESSION_TTL_MS;
    const sid = store.createSession(user.id, ttl);
    res.setHeader('Set-Cookie', `${SESSION_COOKIE}=${sid}; ${cookieAttrs(ttl / 1000, true)}`);
    const jwt = signJwt(user);
    return {
      user: { id: user.id, email: user.email, name: user.name },
      accessToken: jwt.token,
      tokenType: 'Bearer',
      expiresIn: jwt.expiresIn,
    };
  };

  const csrfCookie = (token: string): string =>
    `${CSRF_COOKIE}=${token}; Path=/; Max-Age=${SESSION_TTL_MS / 1000}; Secure; SameSite=Strict`;

  // ---------- CORS / CSRF ----------
  const allowedOrigins = (): string[] => [options.allowedOrigin ?? baseUrl];
  const trustedOrigins = (): string[] => [baseUrl, ...allowedOrigins()];

  /** Sets CORS headers for an /api request; returns whether the origin is granted. */
  const applyCors = (req: IncomingMessage, res: ServerResponse): void => {
    const origin = req.headers.origin;
    res.setHeader('Vary', 'Origin');
    if (origin === undefined) return;
    const f = faults;
    const allowed = allowedOrigins();
    let grant: string | undefined;
    let credentials = true;
    if (f.cors_wildcard_credentials) grant = '*';
    else if (f.cors_wildcard) {
      grant = '*';
      credentials = false;
    } else if (f.cors_reflect_origin) grant = origin;
    else if (f.cors_null_origin && origin === 'null') grant = 'null';
    else if (allowed.includes(origin)) grant = f.cors_block_allowed ? undefined : origin;
    else if (f.cors_lookalike && allowed.some((a) => origin.startsWith(a) || origin.endsWith(new URL(a).host))) grant = origin;
    if (grant === undefined) return;
    res.setHeader('Access-Control-Allow-Origin', grant);
    if (credentials) res.setHeader('Access-Control-Allow-Credentials', 'true');
    res.setHeader('Access-Control-Expose-Headers', 'RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Retry-After');
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE, OPTIONS');
      res.setHeader(
        'Access-Control-Allow-Headers',
        req.headers['access-control-request-headers'] ?? 'Content-Type, X-CSRF-Token, Authorization',
      );
      res.setHeader('Access-Control-Max-Age', '600');
    }
  };

  /** Throws 403 when a state-changing request fails the Origin check or (unless exempt) the double-submit token. */
  const checkCsrf = (req: IncomingMessage, cookies: Map<string, string>, path: string, auth: Auth | undefined): void => {
    if (faults.csrf_off) return;
    const origin = req.headers.origin;
    if (origin !== undefined && !trustedOrigins().includes(origin)) throw new HttpError(403, 'cross-origin request refused');
    if (origin === undefined) {
      const referer = req.headers.referer;
      if (referer !== undefined) {
        let refOrigin: string;
        try {
          refOrigin = new URL(referer).origin;
        } catch {
          refOrigin = 'invalid';
        }
        if (!trustedOrigins().includes(refOrigin)) throw new HttpError(403, 'cross-origin request refused');
      }
    }
    if (path === '/api/auth/login' || path === '/api/auth/signup') return;
    if (auth?.via === 'bearer' && !cookies.has(SESSION_COOKIE)) return; // bearer tokens are not sent ambiently
    const cookie = cookies.get(CSRF_COOKIE);
    const header = req.headers['x-csrf-token'];
    if (cookie === undefined || cookie === '' || typeof header !== 'string' || !safeEqual(cookie, header)) {
      throw new HttpError(403, 'missing or invalid CSRF token (send the vor_csrf cookie value in X-CSRF-Token)');
    }
  };

  // ---------- rate limit ----------
  const bucket = (key: string, now: number): Bucket => {
    let b = buckets.get(key);
    if (b === undefined || b.resetAt <= now) {
      b = { count: 0, resetAt: now + 60_000 };
      buckets.set(key, b);
    }
    return b;
  };
  const pruneBuckets = (now: number): void => {
    if (buckets.size < 10_000) return;
    for (const [k, b] of buckets) if (b.resetAt <= now) buckets.delete(k);
  };

  // ---------- static ----------
  const serveAsset = (req: IncomingMessage, res: ServerResponse, path: string): boolean => {
    const f = faults;
    const mapBody = assets.mapFor(path);
    if (mapBody !== undefined) {
      if (!f.serve_source_maps) return false;
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
      res.end(mapBody);
      return true;
    }
    const asset = assets.get(path);
    if (asset === undefined) return false;
    res.setHeader('Content-Type', asset.type);
    const cache = f.static_no_store
      ? 'no-store'
      : asset.fingerprinted
        ? f.static_short_cache
          ? 'public, max-age=3600'
          : 'public, max-age=31536000, immutable'
        : 'public, max-age=300';
    res.setHeader('Cache-Control', cache);
    res.setHeader('ETag', asset.etag);
    res.setHeader('Vary', 'Accept-Encoding');
    if (!f.no_cdn) {
      res.setHeader('Via', '1.1 vor-edge');
      res.setHeader('X-Cache', 'HIT');
      res.setHeader('Age', String(Math.max(1, Math.floor((Date.now() - startedAt) / 1000))));
    }
    if (path === '/assets/analytics.js') {
      res.setHeader('Set-Cookie', `_vor_analytics=${randomBytes(8).toString('hex')}; Path=/; Max-Age=31536000; Secure; SameSite=Lax`);
    }
    if (req.headers['if-none-match'] === asset.etag && !f.static_no_store) {
      res.statusCode = 304;
      res.end();
      return true;
    }
    const enc = assets.encode(asset, req.headers['accept-encoding'], !f.static_uncompressed);
    if (enc.encoding !== undefined) res.setHeader('Content-Encoding', enc.encoding);
    res.setHeader('Content-Length', enc.body.length);
    res.end(enc.body);
    return true;
  };

  // ---------- pages ----------
  const pageCtx = (user?: User, scripts?: string[]): pages.PageContext => {
    const set = assets.forFaults(faults);
    return { faults, assets: set, ...(user === undefined ? {} : { user }), ...(scripts === undefined ? {} : { scripts }) };
  };

  const ensureCsrfCookie = (res: ServerResponse, cookies: Map<string, string>): string => {
    const existing = cookies.get(CSRF_COOKIE);
    if (existing !== undefined && /^[A-Za-z0-9_-]{20,}$/.test(existing)) return existing;
    const token = randomBytes(24).toString('base64url');
    res.appendHeader('Set-Cookie', csrfCookie(token));
    return token;
  };

  const handlePage = (req: IncomingMessage, res: ServerResponse, url: URL, cookies: Map<string, string>): void => {
    const path = url.pathname;
    const f = faults;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      sendHtml(res, 405, pages.simplePage(pageCtx(), 'Method not allowed', '<h1>Method not allowed</h1>'));
      return;
    }
    if (path === '/') return sendHtml(res, 200, pages.landingPage(pageCtx()));
    if (path === '/privacy') return sendHtml(res, 200, pages.simplePage(pageCtx(), 'Privacy policy', pages.PRIVACY_HTML));
    if (path === '/terms') return sendHtml(res, 200, pages.simplePage(pageCtx(), 'Terms of service', pages.TERMS_HTML));
    if (path === '/pricing') return sendHtml(res, 200, pages.simplePage(pageCtx(), 'Pricing', pages.PRICING_HTML));
    if (path === '/about') {
      if (f.route_broken) return sendHtml(res, 500, pages.errorPage(pageCtx()), 'no-store');
      return sendHtml(res, 200, pages.simplePage(pageCtx(), 'About', pages.ABOUT_HTML));
    }
    if (path === '/sitemap.xml') {
      res.setHeader('Content-Type', 'application/xml; charset=utf-8');
      res.setHeader('Cache-Control', 'public, max-age=300');
      res.end(pages.sitemapXml(baseUrl));
      return;
    }
    if (path === '/robots.txt') {
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.setHeader('Cache-Control', 'public, max-age=300');
      res.end(`User-agent: *\nDisallow: /api/\nSitemap: ${baseUrl}/sitemap.xml\n`);
      return;
    }
    if (path === '/.env' && f.expose_env_file) {
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end(`DATABASE_URL=postgres://vor:${randomHex(12)}@db.internal:5432/vor\nSECRET_KEY=${randomHex(32)}\nNODE_ENV=production\n`);
      return;
    }
    if (f.expose_git_config && (path === '/.git/config' || path === '/.git/HEAD')) {
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end(
        path === '/.git/HEAD'
          ? 'ref: refs/heads/main\n'
          : '[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = false\n[remote "origin"]\n\turl = git@github.com:vor/vor-web.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n[branch "main"]\n\tremote = origin\n\tmerge = refs/heads/main\n',
      );
      return;
    }
    const auth = authOf(req, cookies);
    if (path === '/login') {
      if (auth !== undefined && url.searchParams.get('logged_out') === null) return redirect(res, '/dashboard');
      const notice = url.searchParams.has('logged_out') ? 'You have been logged out.' : undefined;
      return sendHtml(res, 200, pages.loginPage(pageCtx(), notice), 'no-store');
    }
    if (path === '/signup') return sendHtml(res, 200, pages.signupPage(pageCtx()), 'no-store');
    const privatePages = ['/dashboard', '/link-bank', '/billing', '/settings'];
    if (privatePages.includes(path)) {
      if (auth === undefined) return redirect(res, `/login?next=${encodeURIComponent(path)}`);
      ensureCsrfCookie(res, cookies);
      const user = auth.user;
      if (path === '/dashboard') {
        const accounts = f.dashboard_empty ? [] : store.accounts(user.id);
        const txs = f.dashboard_empty ? [] : store.transactions(user.id);
        const linked = url.searchParams.get('linked');
        const notice =
          linked !== null ? 'Bank account linked.' : url.searchParams.has('welcome') ? 'Welcome to VÖR! Your account is ready.' : undefined;
        return sendHtml(res, 200, pages.dashboardPage(pageCtx(user, [assets.forFaults(f).dashboard]), accounts, txs, notice), 'no-store');
      }
      if (path === '/link-bank') return sendHtml(res, 200, pages.linkBankPage(pageCtx(user)), 'no-store');
      if (path === '/billing') {
        const paid = url.searchParams.get('paid');
        return sendHtml(
          res,
          200,
          pages.billingPage(pageCtx(user), store.payments(user.id), paid === null ? undefined : 'Payment succeeded.'),
          'no-store',
        );
      }
      return sendHtml(res, 200, pages.settingsPage(pageCtx(user)), 'no-store');
    }
    sendHtml(res, 404, pages.notFoundPage(pageCtx()));
  };

  // ---------- API ----------
  const handleApi = async (req: IncomingMessage, res: ServerResponse, url: URL, cookies: Map<string, string>): Promise<void> => {
    const path = url.pathname.replace(/\/+$/, '') || '/api';
    const method = req.method ?? 'GET';
    const f = faults;
    applyCors(req, res);
    if (method === 'OPTIONS') {
      res.statusCode = 204;
      res.setHeader('Cache-Control', 'no-store');
      res.end();
      return;
    }
    const stateChanging = !['GET', 'HEAD'].includes(method);
    const auth = authOf(req, cookies);
    if (stateChanging) checkCsrf(req, cookies, path, auth);
    const need = (): User => {
      if (auth === undefined) throw new HttpError(401, 'authentication required');
      return auth.user;
    };
    const route = `${method} ${path}`;

    if (path === '/api' && (method === 'GET' || method === 'HEAD')) {
      return sendJson(res, 200, {
        name: 'VÖR API',
        version: '1',
        endpoints: [
          'POST /api/auth/signup',
          'POST /api/auth/login',
          'POST /api/auth/logout',
          'GET /api/auth/csrf',
          'GET /api/me',
          'GET /api/accounts',
          'GET /api/transactions',
          'GET /api/search?q=',
          'POST /api/plaid/link_token',
          'POST /api/plaid/public_token',
          'POST /api/plaid/exchange',
          'POST /api/billing/payment_intents',
          'POST /api/billing/payment_intents/{id}/confirm',
          'GET /api/billing/payments',
          'GET /api/export',
          'DELETE /api/account',
        ],
      });
    }
    if (route === 'GET /api/auth/csrf') {
      const token = ensureCsrfCookie(res, cookies);
      return sendJson(res, 200, { csrfToken: token });
    }
    if (route === 'POST /api/auth/login') {
      const body = await readJson(req);
      const email = str(body.email).trim().toLowerCase();
      const password = str(body.password);
      const now = Date.now();
      pruneBuckets(now);
      const ip = req.socket.remoteAddress ?? 'unknown';
      const perKey = bucket(`${ip}|${email}`, now);
      const perIp = bucket(`${ip}|*`, now);
      const ipLimit = rateLimit * 5;
      const headers = (b: Bucket, limit: number): Record<string, string> =>
        f.ratelimit_off || f.ratelimit_no_headers
          ? {}
          : {
              'RateLimit-Limit': String(limit),
              'RateLimit-Remaining': String(Math.max(0, limit - b.count)),
              'RateLimit-Reset': String(Math.max(1, Math.ceil((b.resetAt - now) / 1000))),
            };
      const tight = tighterBucket(perKey, rateLimit, perIp, ipLimit);
      if (!f.ratelimit_off && (perKey.count >= rateLimit || perIp.count >= ipLimit)) {
        const retry = Math.max(1, Math.ceil((tight.bucket.resetAt - now) / 1000));
        return sendJson(
          res,
          429,
          { error: 'Too many login attempts. Try again later.' },
          f.ratelimit_no_headers ? {} : { 'Retry-After': String(retry), ...headers(tight.bucket, tight.limit) },
        );
      }
      const user = email === '' || password === '' ? undefined : store.verifyLogin(email, password, f.login_accepts_wrong_password);
      if (user === undefined) {
        perKey.count++;
        perIp.count++;
        const tightAfterFailure = tighterBucket(perKey, rateLimit, perIp, ipLimit);
        return sendJson(res, 401, { error: 'Incorrect email or password' }, headers(tightAfterFailure.bucket, tightAfterFailure.limit));
      }
      const tightAfterLogin = tighterBucket(perKey, rateLimit, perIp, ipLimit);
      return sendJson(res, 200, startSession(res, user), headers(tightAfterLogin.bucket, tightAfterLogin.limit));
    }
    if (route === 'POST /api/auth/signup') {
      const body = await readJson(req);
      if (f.signup_broken) throw new HttpError(500, 'Sign-up is temporarily unavailable');
      const email = str(body.email).trim().toLowerCase();
      const password = str(body.password);
      const name = str(body.name).trim() || email.split('@')[0] || 'VÖR user';
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 200) throw new HttpError(400, 'Please enter a valid email address');
      if (password.length < 8 || password.length > 200) throw new HttpError(400, 'Password must be at least 8 characters');
      const user = store.createUser(email, password, name.slice(0, 100));
      if (user === undefined) throw new HttpError(409, 'An account with this email already exists');
      return sendJson(res, 201, startSession(res, user));
    }
    if (route === 'POST /api/auth/logout') {
      if (auth?.sessionId !== undefined && !f.logout_keeps_session) store.deleteSession(auth.sessionId);
      res.setHeader('Set-Cookie', `${SESSION_COOKIE}=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Lax`);
      return sendJson(res, 200, { ok: true });
    }
    if (route === 'GET /api/me') {
      const u = need();
      return sendJson(res, 200, { id: u.id, email: u.email, name: u.name, createdAt: u.created_at });
    }
    if (route === 'GET /api/accounts') return sendJson(res, 200, { accounts: f.dashboard_empty ? [] : store.accounts(need().id) });
    if (route === 'GET /api/transactions')
      return sendJson(res, 200, { transactions: f.dashboard_empty ? [] : store.transactions(need().id, 500) });
    if (route === 'GET /api/search') {
      const q = url.searchParams.get('q') ?? '';
      if (/^[\p{L}\p{N}][\p{L}\p{N} .-]{0,63}$/u.test(q)) return sendJson(res, 200, { query: q, results: store.search(q) });
      if (f.sql_error_leak) {
        let stack: string;
        try {
          store.unsafeSearch(q);
          stack = new Error('query failed').stack ?? '';
        } catch (err) {
          stack = (err as Error).stack ?? String(err);
        }
        return sendJson(res, 500, {
          error: `SQLITE_ERROR: near "'": syntax error`,
          query: `SELECT name, kind FROM catalog WHERE name LIKE '%${q}%'`,
          stack,
        });
      }
      if (f.search_500) return sendJson(res, 500, { error: 'Internal server error' });
      return sendJson(res, 400, { error: 'invalid_query', message: 'q must be 1-64 letters, digits, spaces, dots or hyphens' });
    }
    if (route === 'POST /api/plaid/link_token') {
      need();
      return sendJson(res, 200, {
        link_token: `link-${f.test_keys_in_bundle ? 'sandbox' : 'production'}-${randomIdInUuidFormat()}`,
        expiration: new Date(Date.now() + 4 * 3600_000).toISOString(),
      });
    }
    if (route === 'POST /api/plaid/public_token') {
      const u = need();
      const body = await readJson(req);
      const institution = str(body.institution);
      if (!(INSTITUTIONS as readonly string[]).includes(institution)) throw new HttpError(400, 'unknown institution');
      if (str(body.username) !== 'user_good' || str(body.password) !== 'pass_good') {
        return sendJson(res, 400, { error_code: 'INVALID_CREDENTIALS', error_message: 'The provided credentials were not correct.' });
      }
      const token = `public-sandbox-${randomIdInUuidFormat()}`;
      publicTokens.set(token, { userId: u.id, institution });
      return sendJson(res, 200, { public_token: token });
    }
    if (route === 'POST /api/plaid/exchange') {
      const u = need();
      const body = await readJson(req);
      if (f.link_bank_broken)
        return sendJson(res, 500, { error_code: 'INTERNAL_SERVER_ERROR', error_message: 'an unexpected error occurred' });
      const entry = publicTokens.get(str(body.public_token));
      if (entry === undefined || entry.userId !== u.id) throw new HttpError(400, 'invalid public_token');
      publicTokens.delete(str(body.public_token));
      const account = store.addAccount(u.id, {
        name: `${entry.institution} Plaid Checking`,
        type: 'checking',
        mask: String(1000 + Math.floor(Math.random() * 9000)),
        institution: entry.institution,
        balance_cents: 110_000,
      });
      store.addTransaction(u.id, {
        account_id: account.id,
        date: new Date().toISOString().slice(0, 10),
        description: `Opening balance (${entry.institution})`,
        category: 'Transfer',
        amount_cents: 110_000,
      });
      return sendJson(res, 200, { account, item_id: `item-${randomIdInUuidFormat()}` });
    }
    if (route === 'POST /api/billing/payment_intents') {
      const u = need();
      const body = await readJson(req);
      const amount = typeof body.amount_cents === 'number' && Number.isInteger(body.amount_cents) ? body.amount_cents : 1200;
      if (amount < 50 || amount > 1_000_000) throw new HttpError(400, 'amount_cents must be between 50 and 1000000');
      const id = `pi_${randomHex(12)}`;
      intents.set(id, {
        userId: u.id,
        amount,
        currency: 'usd',
        description: str(body.description) || 'VÖR Pro (monthly)',
        status: 'requires_confirmation',
      });
      return sendJson(res, 200, { id, client_secret: `${id}_secret_${randomHex(8)}`, status: 'requires_confirmation', livemode: false });
    }
    const confirm = /^\/api\/billing\/payment_intents\/(pi_[a-f0-9]+)\/confirm$/.exec(path);
    if (method === 'POST' && confirm !== null) {
      const u = need();
      const body = await readJson(req);
      const intent = intents.get(confirm[1] ?? '');
      if (intent === undefined || intent.userId !== u.id) throw new HttpError(404, 'no such payment_intent');
      if (f.payment_broken) return sendJson(res, 500, { error: 'api_error', message: 'An error occurred while processing your payment.' });
      const card = str(body.card_number).replace(/\D/g, '');
      if (card === '4000000000000002') return sendJson(res, 402, { error: 'card_declined', message: 'Your card was declined.' });
      if (card !== '4242424242424242')
        return sendJson(res, 402, { error: 'invalid_number', message: 'Use the test card 4242 4242 4242 4242.' });
      intents.delete(confirm[1] ?? '');
      const payment = store.addPayment(u.id, {
        amount_cents: intent.amount,
        currency: intent.currency,
        status: 'succeeded',
        description: intent.description,
        card_last4: card.slice(-4),
      });
      return sendJson(res, 200, { ...payment, id: confirm[1], status: 'succeeded' });
    }
    if (route === 'GET /api/billing/payments') return sendJson(res, 200, { payments: store.payments(need().id) });
    if (route === 'GET /api/export') {
      const u = need();
      if (f.export_broken) {
        res.setHeader('Content-Type', 'application/json; charset=utf-8');
        res.setHeader('Content-Disposition', 'attachment; filename="vor-export.json"');
        res.setHeader('Cache-Control', 'no-store');
        res.setHeader('Content-Length', 0);
        res.end();
        return;
      }
      return sendJson(
        res,
        200,
        {
          exportedAt: new Date().toISOString(),
          profile: { id: u.id, email: u.email, name: u.name, createdAt: u.created_at },
          accounts: store.accounts(u.id),
          transactions: store.transactions(u.id, 100_000),
          payments: store.payments(u.id),
        },
        { 'Content-Disposition': 'attachment; filename="vor-export.json"' },
      );
    }
    if (route === 'DELETE /api/account' || route === 'POST /api/account/delete') {
      const u = need();
      const body = await readJson(req);
      if (body.confirm !== undefined && str(body.confirm) !== 'DELETE') throw new HttpError(400, 'Type DELETE to confirm');
      store.deleteUser(u.id, f.deletion_keeps_login);
      if (!f.deletion_keeps_login) res.setHeader('Set-Cookie', `${SESSION_COOKIE}=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Lax`);
      return sendJson(res, 200, { deleted: true });
    }
    throw new HttpError(404, 'not found');
  };

  // ---------- admin ----------
  const handleAdmin = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    res.setHeader('Cache-Control', 'no-store');
    const authz = req.headers.authorization ?? '';
    if (!isLoopback(req.socket.remoteAddress) || !safeEqual(authz, `Bearer ${adminToken}`)) {
      return sendJson(res, 401, { error: 'admin API: loopback only, with Authorization: Bearer <admin token>' });
    }
    if (url.pathname === '/__admin/faults') {
      if (req.method === 'GET') return sendJson(res, 200, faults);
      if (req.method === 'PUT' || req.method === 'PATCH') {
        const body = await readJson(req);
        try {
          setFaults(body as Partial<Faults>, req.method === 'PUT' ? 'replace' : 'merge', req.socket);
        } catch (err) {
          return sendJson(res, 400, { error: 'invalid faults', detail: (err as Error).message });
        }
        return sendJson(res, 200, faults);
      }
      res.setHeader('Allow', 'GET, PUT, PATCH');
      return sendJson(res, 405, { error: 'method not allowed' });
    }
    if (url.pathname === '/__admin/stats' && req.method === 'GET') {
      return sendJson(res, 200, { requests: count, startedAt: new Date(startedAt).toISOString(), faults: activeFaults(faults) });
    }
    if (url.pathname === '/__admin/reset-ratelimit' && req.method === 'POST') {
      buckets.clear();
      return sendJson(res, 200, { ok: true });
    }
    return sendJson(res, 404, { error: 'not found' });
  };

  // ---------- main handler ----------
  const handle = async (req: IncomingMessage, res: ServerResponse, secure: boolean): Promise<void> => {
    const url = new URL(req.url ?? '/', baseUrl);
    securityHeaders(res, secure);
    if (url.pathname.startsWith('/__admin')) return handleAdmin(req, res, url);
    count++;
    appCount++;
    const f = faults;
    let delay = f.latencyMs + (f.latencyJitterMs > 0 ? Math.random() * f.latencyJitterMs : 0);
    if (f.stallEvery > 0 && appCount % f.stallEvery === 0) delay += f.stallMs;
    if (url.pathname === '/health') delay += f.healthDelayMs;
    if (delay > 0) await sleep(delay);
    if (f.errorRate > 0 && Math.random() < f.errorRate) {
      return url.pathname.startsWith('/api')
        ? sendJson(res, 500, { error: 'Internal server error' })
        : sendHtml(res, 500, pages.errorPage(pageCtx()), 'no-store');
    }
    const cookies = parseCookies(req.headers.cookie);
    try {
      if (url.pathname === '/health') {
        if (f.health_hang) return; // never answers; the socket is destroyed on close()
        let dbOk = false;
        try {
          dbOk = store.ping();
        } catch {
          dbOk = false;
        }
        if (f.health_503) return sendJson(res, 503, { status: 'fail', checks: { database: { status: dbOk ? 'ok' : 'down' } } });
        if (f.health_dependency_down || !dbOk) return sendJson(res, 200, { status: 'fail', checks: { database: { status: 'down' } } });
        return sendJson(res, 200, {
          status: 'ok',
          checks: { database: { status: 'ok' } },
          uptimeSeconds: Math.floor((Date.now() - startedAt) / 1000),
        });
      }
      if (url.pathname === '/api' || url.pathname.startsWith('/api/')) return await handleApi(req, res, url, cookies);
      if ((req.method === 'GET' || req.method === 'HEAD') && serveAsset(req, res, url.pathname)) return;
      return handlePage(req, res, url, cookies);
    } catch (err) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const status = err instanceof HttpError ? err.status : 500;
      if (!(err instanceof HttpError)) log(`internal error on ${req.method} ${url.pathname}: ${(err as Error).stack ?? String(err)}`);
      const message = err instanceof HttpError ? err.message : 'Internal server error';
      if (url.pathname.startsWith('/api')) return sendJson(res, status, { error: message });
      return sendHtml(res, status, pages.errorPage(pageCtx()), 'no-store');
    }
  };

  const wrap =
    (secure: boolean) =>
    (req: IncomingMessage, res: ServerResponse): void => {
      const sock = req.socket;
      busy.set(sock, (busy.get(sock) ?? 0) + 1);
      res.once('close', () => {
        busy.set(sock, (busy.get(sock) ?? 1) - 1);
        if (closeAfter.has(sock) && (busy.get(sock) ?? 0) === 0) sock.destroySoon();
      });
      handle(req, res, secure).catch((err: unknown) => {
        log(`unhandled: ${String(err)}`);
        if (!res.headersSent) {
          res.statusCode = 500;
          res.end();
        } else res.destroy();
      });
    };
  httpsServer.on('request', wrap(true));

  plainServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    const f = faults;
    if (path === '/assets/pixel.svg' || path.startsWith('/assets/pixel.svg?')) {
      wrap(false)(req, res);
      return;
    }
    if (f.http_serves_content) {
      wrap(false)(req, res);
      return;
    }
    count++;
    res.setHeader('Server', f.server_version ? 'nginx/1.18.0' : 'vor');
    if (f.x_powered_by) res.setHeader('X-Powered-By', 'Express');
    if (f.redirect_chain && !path.startsWith('/__hop')) {
      redirect(res, `${httpUrl}/__hop${path.startsWith('/') ? path : `/${path}`}`, 301);
      return;
    }
    const rest = path.startsWith('/__hop') ? path.slice('/__hop'.length) || '/' : path;
    redirect(res, `${baseUrl}${rest.startsWith('/') ? rest : `/${rest}`}`, 301);
  });

  // ---------- listen ----------
  const listen = (server: net.Server, port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host, port }, () => {
        server.off('error', reject);
        resolve((server.address() as AddressInfo).port);
      });
    });
  let httpsPort: number;
  let plainPort: number;
  try {
    httpsPort = await listen(httpsServer, options.port ?? 0);
    plainPort = await listen(dualServer, options.httpPort ?? 0);
  } catch (err) {
    httpsServer.close();
    dualServer.close();
    store.close();
    if (ownState) rmSync(stateDir, { recursive: true, force: true });
    throw err;
  }
  baseUrl = `https://${urlHost}:${httpsPort}`;
  httpUrl = `http://${urlHost}:${plainPort}`;
  assets.forFaults(faults);
  log(`listening on ${baseUrl} (plain HTTP ${httpUrl}); faults: ${activeFaults(faults).join(', ') || '(none)'}`);

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= (async () => {
      const done = Promise.all([
        new Promise<void>((r) => httpsServer.close(() => r())),
        new Promise<void>((r) => dualServer.close(() => r())),
      ]);
      for (const s of rawSockets) s.destroy();
      for (const s of tlsSockets) s.destroy();
      plainServer.closeAllConnections();
      await done;
      store.close();
      if (ownState) rmSync(stateDir, { recursive: true, force: true });
    })();
    return closed;
  };

  return {
    baseUrl,
    apiUrl: `${baseUrl}/api`,
    httpUrl,
    caFile: ca.caFile,
    caPem: ca.caPem,
    adminToken,
    testUser: { ...testUser },
    faults: () => ({ ...faults }),
    setFaults: (next, mode = 'replace') => setFaults(next, mode),
    requestCount: () => count,
    close,
  };
}

/** Of the per-address-and-email and per-address buckets, the one with fewer requests left: the RateLimit headers show it. */
function tighterBucket(first: Bucket, firstLimit: number, second: Bucket, secondLimit: number): { bucket: Bucket; limit: number } {
  return firstLimit - first.count <= secondLimit - second.count
    ? { bucket: first, limit: firstLimit }
    : { bucket: second, limit: secondLimit };
}

function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

function randomIdInUuidFormat(): string {
  const h = randomHex(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
