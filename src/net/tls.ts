import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { connect, rootCertificates, type DetailedPeerCertificate, type SecureVersion } from 'node:tls';
import type { Target } from '../core/target.js';

/**
 * Lets the probing side complete handshakes a hardened client would refuse (TLS 1.0, SHA-1
 * signatures, 1024-bit keys), so that what the server accepts can be judged instead of guessed.
 */
export const PERMISSIVE_CIPHERS = 'DEFAULT@SECLEVEL=0';

export interface TlsEndpoint {
  readonly host: string;
  readonly port: number;
  /** SNI; absent for IP literals (RFC 6066 forbids them there). */
  readonly servername?: string;
}

export interface HandshakeOptions {
  readonly signal: AbortSignal;
  readonly minVersion?: SecureVersion;
  readonly maxVersion?: SecureVersion;
  readonly ciphers?: string;
}

/** What one completed handshake showed; certificates are not trusted or judged here. */
export interface HandshakeFacts {
  readonly protocol: string;
  readonly cipher: { readonly name: string; readonly standardName: string };
  /** The served chain, leaf first, in issuer order as the peer presented it. */
  readonly chain: readonly X509Certificate[];
  readonly durationMs: number;
}

export type HandshakeAttempt =
  { readonly accepted: true; readonly protocol: string; readonly cipher: string } | { readonly accepted: false; readonly detail: string };

export function tlsEndpointOf(target: Pick<Target, 'baseUrl' | 'host'>): TlsEndpoint {
  const url = new URL(target.baseUrl);
  const port = url.port === '' ? 443 : Number(url.port);
  return isIP(target.host) === 0 ? { host: target.host, port, servername: target.host } : { host: target.host, port };
}

function servedChain(leaf: DetailedPeerCertificate): X509Certificate[] {
  const chain: X509Certificate[] = [];
  const seen = new Set<string>();
  let current: DetailedPeerCertificate | undefined = leaf;
  // issuerCertificate points at itself on a self-signed certificate; the bound guards a cycle.
  while (current?.raw !== undefined && !seen.has(current.fingerprint256) && chain.length < 16) {
    seen.add(current.fingerprint256);
    chain.push(new X509Certificate(current.raw));
    current = current.issuerCertificate;
  }
  return chain;
}

/**
 * One handshake with certificate verification off (we verify ourselves, to say *why* a chain is
 * bad). Rejects with the socket's error, or with the signal's reason when it fires first.
 */
export function tlsHandshake(endpoint: TlsEndpoint, options: HandshakeOptions): Promise<HandshakeFacts> {
  return new Promise((resolve, reject) => {
    if (options.signal.aborted) {
      reject(options.signal.reason);
      return;
    }
    const started = performance.now();
    const socket = connect({
      host: endpoint.host,
      port: endpoint.port,
      ...(endpoint.servername === undefined ? {} : { servername: endpoint.servername }),
      rejectUnauthorized: false,
      ...(options.minVersion === undefined ? {} : { minVersion: options.minVersion }),
      ...(options.maxVersion === undefined ? {} : { maxVersion: options.maxVersion }),
      ...(options.ciphers === undefined ? {} : { ciphers: options.ciphers }),
    });
    const onAbort = (): void => {
      socket.destroy();
      reject(options.signal.reason);
    };
    options.signal.addEventListener('abort', onAbort, { once: true });
    const settle = (): void => {
      options.signal.removeEventListener('abort', onAbort);
      socket.destroy();
    };
    socket.once('secureConnect', () => {
      try {
        const cipher = socket.getCipher();
        const facts: HandshakeFacts = {
          protocol: socket.getProtocol() ?? 'unknown',
          cipher: { name: cipher.name, standardName: cipher.standardName },
          chain: servedChain(socket.getPeerCertificate(true)),
          durationMs: performance.now() - started,
        };
        settle();
        resolve(facts);
      } catch (error) {
        settle();
        reject(error);
      }
    });
    socket.once('error', (error) => {
      settle();
      reject(error);
    });
    socket.once('close', () => {
      settle();
      reject(
        Object.assign(new Error(`${endpoint.host}:${endpoint.port} closed the connection during the TLS handshake`), {
          code: 'ECONNRESET',
        }),
      );
    });
  });
}

/** Errors that say nothing about what the server accepts: the attempt could not be made at all. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT']);

/**
 * A handshake restricted to one protocol or suite. A refusal (alert, reset, no shared suite) is an
 * answer, and so is silence past `answerWithinMs` (some servers drop a ClientHello they dislike);
 * an unreachable host or the caller's signal firing is not, and rejects.
 */
export async function attemptHandshake(
  endpoint: TlsEndpoint,
  options: HandshakeOptions,
  answerWithinMs: number,
): Promise<HandshakeAttempt> {
  const patience = AbortSignal.timeout(answerWithinMs);
  try {
    const facts = await tlsHandshake(endpoint, { ...options, signal: AbortSignal.any([options.signal, patience]) });
    return { accepted: true, protocol: facts.protocol, cipher: facts.cipher.name };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (options.signal.aborted || (typeof code === 'string' && UNREACHABLE.has(code))) throw error;
    if (patience.aborted) return { accepted: false, detail: `no answer within ${answerWithinMs} ms` };
    return { accepted: false, detail: typeof code === 'string' ? code : error instanceof Error ? error.message : String(error) };
  }
}

let systemRoots: readonly X509Certificate[] | undefined;

/** The PEM certificate blocks of a bundle (a CA file may hold several), unparsed. */
export const pemCertificateBlocks = (pem: string): string[] =>
  pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];

/** Splits a PEM bundle into certificates. */
export function parsePemBundle(pem: string): X509Certificate[] {
  return pemCertificateBlocks(pem).map((block) => new X509Certificate(block));
}

/** The system roots plus the target's `--ca` certificates: what a chain may end at. */
export function trustAnchors(caPem: string | undefined): readonly X509Certificate[] {
  systemRoots ??= rootCertificates.flatMap((pem) => {
    try {
      return [new X509Certificate(pem)];
    } catch {
      return [];
    }
  });
  return caPem === undefined ? systemRoots : [...parsePemBundle(caPem), ...systemRoots];
}
