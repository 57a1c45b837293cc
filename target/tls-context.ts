/** The HTTPS server's TLS settings for a fault set: certificate profile, protocol versions, cipher suites. */
import type https from 'node:https';
import type { CertProfile, LocalCa } from './ca.js';
import type { Faults } from './faults.js';

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

/** Equal for two fault sets exactly when they need the same TLS settings. */
export function tlsSettingsKey(f: Faults): string {
  return JSON.stringify([certProfileOf(f), f.tls_legacy, f.weak_ciphers, f.no_tls13]);
}

export function secureContextOptions(ca: LocalCa, f: Faults, hosts: readonly string[]): https.ServerOptions {
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

/** The names a leaf must cover: loopback always, plus the bind host when it is a real name/address. */
export function certHostsFor(host: string): string[] {
  const wildcardOrLoopback = ['127.0.0.1', '::1', 'localhost', '0.0.0.0', '::'];
  return ['127.0.0.1', '::1', 'localhost', ...(wildcardOrLoopback.includes(host) ? [] : [host])];
}
