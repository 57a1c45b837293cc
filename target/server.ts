/**
 * The reference VÖR target: an HTTPS site + JSON API on loopback, with a local CA, a plain-HTTP port that
 * redirects, and fault switches (target/faults.ts) that break exactly one property each.
 *
 * This module is the wiring: the servers, TLS, the plain-HTTP port, the third-party widget origins
 * (target/vendors/) and the lifecycle. What the target remembers is in state.ts; what it answers is in
 * app.ts and routes/.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import net, { type AddressInfo, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { createApp } from './app.js';
import { loadLocalCa } from './ca.js';
import { activeFaults, applyFaults, defaultFaults, vendorFaultsOf, type Faults } from './faults.js';
import { redirect } from './http.js';
import { setServerHeaders } from './security-headers.js';
import { TargetState, type TestUser } from './state.js';
import { certHostsFor, secureContextOptions, tlsSettingsKey } from './tls-context.js';
import { VendorClient } from './vendor-client.js';
import { startVendors } from './vendors/index.js';

export type { Faults } from './faults.js';

export interface TargetOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** HTTPS port; 0 (default) = a free one. */
  port?: number;
  /** Plain-HTTP port; 0 (default) = a free one. */
  httpPort?: number;
  faults?: Partial<Faults>;
  /** The seeded test user. Default DEFAULT_TEST_USER; the environment is the caller's business (target/main.ts). */
  testUser?: TestUser;
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
  testUser: TestUser;
  faults(): Faults;
  setFaults(faults: Partial<Faults>, mode?: 'replace' | 'merge'): void;
  requestCount(): number;
  /** The third-party widgets' own origins (Plaid Link, Stripe), on the same host, trusted via the same CA. */
  vendors: { plaidOrigin: string; stripeOrigin: string };
  close(): Promise<void>;
}

export const DEFAULT_TEST_USER = { email: 'qa@vor.test', password: 'vor-demo-password' } as const;

export async function startTarget(options: TargetOptions = {}): Promise<RunningTarget> {
  const host = options.host ?? '127.0.0.1';
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const ca = loadLocalCa(options.caDir === undefined ? {} : { dir: options.caDir });
  const certHosts = certHostsFor(host);
  const initialFaults = applyFaults(defaultFaults(), options.faults ?? {}, 'replace');
  const vendorCert = ca.issue({ hosts: certHosts });
  const vendors = await startVendors({
    host,
    tls: { key: vendorCert.keyPem, cert: vendorCert.chainPem },
    faults: vendorFaultsOf(initialFaults),
    ...(options.quiet === undefined ? {} : { quiet: options.quiet }),
  });
  const vendorClient = new VendorClient(vendors.plaidOrigin, vendors.stripeOrigin, ca.caPem);
  let state: TargetState;
  try {
    state = new TargetState({
      ...options,
      faults: initialFaults,
      testUser: options.testUser ?? { ...DEFAULT_TEST_USER },
      vendors: vendorClient,
    });
  } catch (err) {
    await Promise.all([vendorClient.close(), vendors.close()]);
    throw err;
  }

  // ---------- sockets ----------
  const rawSockets = new Set<Socket>();
  const tlsSockets = new Set<TLSSocket>();
  const busy = new WeakMap<Socket, number>();
  const closeAfter = new WeakSet<Socket>();
  const trackRaw = (s: Socket): void => {
    rawSockets.add(s);
    s.once('close', () => rawSockets.delete(s));
  };

  let currentTlsKey = tlsSettingsKey(state.faults);
  const httpsServer = https.createServer(secureContextOptions(ca, state.faults, certHosts));
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

  /** New TLS settings only reach new connections: idle ones go at once, busy ones after their response. */
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
    state.faults = applyFaults(state.faults, next, mode);
    vendors.setFaults(vendorFaultsOf(state.faults), 'replace');
    const key = tlsSettingsKey(state.faults);
    if (key !== currentTlsKey) {
      currentTlsKey = key;
      httpsServer.setSecureContext(secureContextOptions(ca, state.faults, certHosts));
      dropTlsConnections(except);
    }
    state.log(`faults: ${activeFaults(state.faults).join(', ') || '(none)'}`);
  };

  const app = createApp(state, setFaults);
  const serve =
    (secure: boolean) =>
    (req: IncomingMessage, res: ServerResponse): void => {
      const sock = req.socket;
      busy.set(sock, (busy.get(sock) ?? 0) + 1);
      res.once('close', () => {
        busy.set(sock, (busy.get(sock) ?? 1) - 1);
        if (closeAfter.has(sock) && (busy.get(sock) ?? 0) === 0) sock.destroySoon();
      });
      app(req, res, secure).catch((err: unknown) => {
        state.log(`unhandled: ${String(err)}`);
        if (!res.headersSent) {
          res.statusCode = 500;
          res.end();
        } else res.destroy();
      });
    };
  httpsServer.on('request', serve(true));
  plainServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    // The mixed-content image must really load over http:, and http_serves_content serves everything.
    if (path === '/assets/pixel.svg' || path.startsWith('/assets/pixel.svg?') || state.faults.http_serves_content) {
      serve(false)(req, res);
      return;
    }
    redirectToHttps(state, req, res);
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
    state.close();
    await Promise.all([vendorClient.close(), vendors.close()]);
    throw err;
  }
  state.baseUrl = `https://${urlHost}:${httpsPort}`;
  state.httpUrl = `http://${urlHost}:${plainPort}`;
  state.assetSet();
  state.log(`listening on ${state.baseUrl} (plain HTTP ${state.httpUrl}); faults: ${activeFaults(state.faults).join(', ') || '(none)'}`);

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
      await Promise.all([vendorClient.close(), vendors.close()]);
      state.close();
    })();
    return closed;
  };

  return {
    baseUrl: state.baseUrl,
    apiUrl: `${state.baseUrl}/api`,
    httpUrl: state.httpUrl,
    caFile: ca.caFile,
    caPem: ca.caPem,
    adminToken: state.adminToken,
    testUser: { ...state.testUser },
    faults: () => ({ ...state.faults }),
    setFaults: (next, mode = 'replace') => setFaults(next, mode),
    requestCount: () => state.requestCount,
    vendors: { plaidOrigin: vendors.plaidOrigin, stripeOrigin: vendors.stripeOrigin },
    close,
  };
}

/** The plain-HTTP port's answer: 301 to the same path on HTTPS (two hops under redirect_chain). */
function redirectToHttps(state: TargetState, req: IncomingMessage, res: ServerResponse): void {
  const path = req.url ?? '/';
  state.requestCount++;
  setServerHeaders(res, state.faults);
  if (state.faults.redirect_chain && !path.startsWith('/__hop')) {
    redirect(res, `${state.httpUrl}/__hop${path.startsWith('/') ? path : `/${path}`}`, 301);
    return;
  }
  const rest = path.startsWith('/__hop') ? path.slice('/__hop'.length) || '/' : path;
  redirect(res, `${state.baseUrl}${rest.startsWith('/') ? rest : `/${rest}`}`, 301);
}
