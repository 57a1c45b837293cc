import { getCiphers } from 'node:tls';
import { defineProbe } from '../../src/core/probe.js';
import { attemptHandshake, PERMISSIVE_CIPHERS, tlsEndpointOf, tlsHandshake, trustAnchors, type TlsEndpoint } from '../../src/net/tls.js';
import { buildTrustPath } from './chain.js';
import {
  evaluateCiphers,
  evaluateHostname,
  evaluateKeys,
  evaluateProtocols,
  evaluateTrust,
  evaluateValidity,
  LEGACY_PROTOCOLS,
  WEAK_SUITES,
  type CipherSupport,
  type ProtocolSupport,
} from './evaluate.js';

const available = new Set(getCiphers().map((c) => c.toUpperCase()));
/** Only suites this OpenSSL can offer; the rest could never be accepted by anyone. */
const WEAK_SUITES_OFFERED = Object.keys(WEAK_SUITES).filter((suite) => available.has(suite));

async function protocolSupport(
  endpoint: TlsEndpoint,
  negotiated: string,
  signal: AbortSignal,
  answerWithinMs: number,
): Promise<ProtocolSupport> {
  const versions = [...LEGACY_PROTOCOLS, 'TLSv1.2'] as const;
  const results = await Promise.all(
    versions.map((version) =>
      attemptHandshake(endpoint, { signal, minVersion: version, maxVersion: version, ciphers: PERMISSIVE_CIPHERS }, answerWithinMs),
    ),
  );
  return { negotiated, attempts: Object.fromEntries(versions.map((v, i) => [v, results[i]?.accepted === true])) };
}

async function cipherSupport(
  endpoint: TlsEndpoint,
  negotiated: string,
  signal: AbortSignal,
  answerWithinMs: number,
): Promise<CipherSupport> {
  // TLS 1.3 suites are all forward-secret AEADs, so the weak ones can only be negotiated up to 1.2.
  const results = await Promise.all(
    WEAK_SUITES_OFFERED.map((suite) =>
      attemptHandshake(endpoint, { signal, minVersion: 'TLSv1', maxVersion: 'TLSv1.2', ciphers: `${suite}:@SECLEVEL=0` }, answerWithinMs),
    ),
  );
  return { negotiated, attempts: Object.fromEntries(WEAK_SUITES_OFFERED.map((s, i) => [s, results[i]?.accepted === true])) };
}

/**
 * One permissive handshake gives the chain (trust, host name, dates, keys); a few small
 * restricted handshakes, in parallel, show which old protocols and weak suites are accepted.
 */
export const tlsProbe = defineProbe({
  name: 'tls',
  checks: ['tls.certificate.validity', 'tls.certificate.trust', 'tls.certificate.hostname', 'tls.protocols', 'tls.ciphers', 'tls.key'],
  async run(ctx) {
    const endpoint = tlsEndpointOf(ctx.target);
    const host = ctx.target.host;
    const started = performance.now();
    let facts;
    try {
      facts = await tlsHandshake(endpoint, { signal: ctx.signal, minVersion: 'TLSv1', ciphers: PERMISSIVE_CIPHERS });
    } finally {
      const outcome = facts === undefined ? 'failure' : 'success';
      ctx.recordRequest({ check: 'tls.certificate.validity', durationSeconds: (performance.now() - started) / 1000, outcome });
    }
    // The server already answered one handshake: a restricted one it leaves unanswered is a refusal,
    // and must not cost the certificate checks their results by running into the probe's timeout.
    const answerWithinMs = Math.round(Math.max(1_000, Math.min(5_000, ctx.options.timeoutMs / 3, facts.durationMs * 20)));
    const [protocols, ciphers] = await Promise.all([
      protocolSupport(endpoint, facts.protocol, ctx.signal, answerWithinMs),
      cipherSupport(endpoint, facts.cipher.name, ctx.signal, answerWithinMs),
    ]);
    const trust = buildTrustPath(facts.chain, trustAnchors(ctx.target.caPem));
    return [
      evaluateValidity(host, facts.chain, trust, ctx.options, Date.now()),
      evaluateTrust(host, trust, ctx.target.caPem !== undefined),
      evaluateHostname(host, facts.chain[0]),
      evaluateProtocols(host, protocols),
      evaluateCiphers(host, ciphers),
      evaluateKeys(host, facts.chain),
    ];
  },
});
