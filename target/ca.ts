/**
 * The reference target's local certificate authority: a root CA and an intermediate, generated at
 * first use and cached outside the repository (`${XDG_CACHE_HOME:-~/.cache}/vor-watch/ca`, mode 0700),
 * plus leaf certificates for every test profile (valid, expired, expiring, weak key, ...).
 *
 * Certificates are built by target/pki.ts. Nothing private is ever written inside the repository.
 */
import { randomBytes, X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createCertificate, generateRsaKey, publicPemOf, type DistinguishedName } from './pki.js';

export type CertProfile =
  'valid' | 'expired' | 'expiring' | 'expiring_soon' | 'not_yet_valid' | 'self_signed' | 'wrong_host' | 'weak_key' | 'incomplete_chain';

export const CERT_PROFILES: readonly CertProfile[] = [
  'valid',
  'expired',
  'expiring',
  'expiring_soon',
  'not_yet_valid',
  'self_signed',
  'wrong_host',
  'weak_key',
  'incomplete_chain',
];

export interface IssueOptions {
  profile?: CertProfile;
  /** RSA modulus length of the leaf key (default 2048; 1024 for 'weak_key'). */
  rsaBits?: number;
  /** Host names / IP addresses for the SAN (default 127.0.0.1, ::1, localhost; 'wrong_host' ignores it). */
  hosts?: readonly string[];
  /** Override validity in days for the leaf (profiles set their own). */
  days?: number;
}

export interface IssuedCertificate {
  profile: CertProfile;
  hosts: readonly string[];
  rsaBits: number;
  notBefore: Date;
  notAfter: Date;
  /** Leaf private key, PEM (PKCS#1). */
  keyPem: string;
  /** Leaf certificate alone, PEM. */
  certPem: string;
  /** What a server sends: leaf + intermediate (leaf only for 'incomplete_chain' and 'self_signed'). */
  chainPem: string;
  /** The intermediate that issued the leaf (empty for 'self_signed'). */
  intermediatePem: string;
}

export interface LocalCa {
  /** Directory the CA is cached in. */
  dir: string;
  /** PEM file of the root CA certificate: what clients should trust. */
  caFile: string;
  caPem: string;
  intermediatePem: string;
  /** Issues (and caches in memory, per profile/bits/hosts) a leaf certificate. */
  issue(options?: IssueOptions): IssuedCertificate;
  /** Milliseconds spent generating (0 when everything came from the cache). */
  generatedMs: number;
}

export const DEFAULT_HOSTS: readonly string[] = ['127.0.0.1', '::1', 'localhost'];
const DAY = 86_400_000;
const LEAF_DAYS = 90;

/** `${XDG_CACHE_HOME:-~/.cache}/vor-watch` */
export function vorCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg !== undefined && xdg !== '' ? xdg : join(homedir(), '.cache'), 'vor-watch');
}

/** Where the CA lives: VOR_TARGET_CA_DIR, else `${vorCacheDir()}/ca`. */
export function defaultCaDir(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.VOR_TARGET_CA_DIR;
  return override !== undefined && override !== '' ? override : join(vorCacheDir(env), 'ca');
}

interface Bundle {
  version: 1;
  caKey: string;
  caCert: string;
  intKey: string;
  intCert: string;
  leafKey: string;
  leafCert: string;
}

const ROOT_SUBJECT: DistinguishedName = [
  { name: 'commonName', value: 'vor-watch Local Root CA (test only)' },
  { name: 'organizationName', value: 'vor-watch reference target' },
];
const INT_SUBJECT: DistinguishedName = [
  { name: 'commonName', value: 'vor-watch Local Intermediate CA (test only)' },
  { name: 'organizationName', value: 'vor-watch reference target' },
];

interface KeyAndCert {
  key: string;
  cert: string;
}

function createRoot(): KeyAndCert {
  const k = generateRsaKey(2048);
  const now = Date.now();
  const cert = createCertificate({
    publicPem: k.publicPem,
    subject: ROOT_SUBJECT,
    signer: { name: ROOT_SUBJECT, privatePem: k.privatePem },
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 3650 * DAY),
    role: { ca: true },
  });
  return { key: k.privatePem, cert };
}

function createIntermediate(root: KeyAndCert): KeyAndCert {
  const k = generateRsaKey(2048);
  const now = Date.now();
  const cert = createCertificate({
    publicPem: k.publicPem,
    subject: INT_SUBJECT,
    signer: { name: ROOT_SUBJECT, privatePem: root.key },
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 3000 * DAY),
    role: { ca: true, pathLength: 0 },
  });
  return { key: k.privatePem, cert };
}

interface LeafSpec {
  keyPem: string;
  hosts: readonly string[];
  notBefore: Date;
  notAfter: Date;
  selfSigned: boolean;
}

function createLeaf(spec: LeafSpec, issuer: KeyAndCert): string {
  const subject: DistinguishedName = [{ name: 'commonName', value: spec.hosts[0] ?? 'localhost' }];
  return createCertificate({
    publicPem: publicPemOf(spec.keyPem),
    subject,
    signer: spec.selfSigned ? { name: subject, privatePem: spec.keyPem } : { name: INT_SUBJECT, privatePem: issuer.key },
    notBefore: spec.notBefore,
    notAfter: spec.notAfter,
    role: { ca: false, hosts: spec.hosts },
  });
}

function writeAtomic(path: string, content: string, mode: number): void {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, content, { mode });
  renameSync(tmp, path);
}

/** Writes `path` only if it does not exist yet (atomic, race-free across processes); returns the winner's content. */
function writeOnce(path: string, content: string, mode: number): string {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, content, { mode });
  try {
    linkSync(tmp, path);
    return content;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return readFileSync(path, 'utf8');
  } finally {
    try {
      unlinkSync(tmp);
    } catch {
      /* already gone */
    }
  }
}

function leafUsable(certPem: string, hosts: readonly string[]): boolean {
  try {
    const x = new X509Certificate(certPem);
    if (new Date(x.validTo).getTime() - Date.now() < 30 * DAY) return false;
    return hosts.every((h) => (isIP(h) !== 0 ? x.checkIP(h) !== undefined : x.checkHost(h) !== undefined));
  } catch {
    return false;
  }
}

const caches = new Map<string, LocalCa>();

/** Loads (or creates, the first time) the local CA in `dir` (default: defaultCaDir()). Synchronous. */
export function loadLocalCa(options: { dir?: string } = {}): LocalCa {
  const dir = options.dir ?? defaultCaDir();
  const cached = caches.get(dir);
  if (cached !== undefined) return cached;
  const started = performance.now();
  let generated = false;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    chmodSync(dir, 0o700);
  } catch {
    /* not ours to change */
  }
  const bundlePath = join(dir, 'ca-bundle.json');
  let bundle: Bundle | undefined;
  if (existsSync(bundlePath)) {
    try {
      const parsed = JSON.parse(readFileSync(bundlePath, 'utf8')) as Partial<Bundle>;
      if (parsed.version === 1 && typeof parsed.caCert === 'string' && typeof parsed.leafCert === 'string') bundle = parsed as Bundle;
    } catch {
      bundle = undefined;
    }
    if (bundle === undefined) unlinkSync(bundlePath); // corrupt: start over
  }
  if (bundle === undefined) {
    generated = true;
    const root = createRoot();
    const int = createIntermediate(root);
    const leafKey = generateRsaKey(2048).privatePem;
    const now = Date.now();
    const leafCert = createLeaf(
      {
        keyPem: leafKey,
        hosts: DEFAULT_HOSTS,
        notBefore: new Date(now - DAY),
        notAfter: new Date(now + LEAF_DAYS * DAY),
        selfSigned: false,
      },
      int,
    );
    const fresh: Bundle = { version: 1, caKey: root.key, caCert: root.cert, intKey: int.key, intCert: int.cert, leafKey, leafCert };
    bundle = JSON.parse(writeOnce(bundlePath, JSON.stringify(fresh, null, 1), 0o600)) as Bundle;
  }
  const b: Bundle = bundle;
  const intermediate = { key: b.intKey, cert: b.intCert };
  if (!leafUsable(b.leafCert, DEFAULT_HOSTS)) {
    generated = true;
    const now = Date.now();
    b.leafCert = createLeaf(
      {
        keyPem: b.leafKey,
        hosts: DEFAULT_HOSTS,
        notBefore: new Date(now - DAY),
        notAfter: new Date(now + LEAF_DAYS * DAY),
        selfSigned: false,
      },
      intermediate,
    );
    writeAtomic(bundlePath, JSON.stringify(b, null, 1), 0o600);
  }
  const caFile = join(dir, 'root-ca.pem');
  if (!existsSync(caFile) || readFileSync(caFile, 'utf8') !== b.caCert) writeAtomic(caFile, b.caCert, 0o644);

  const issued = new Map<string, IssuedCertificate>();
  let weakKey: string | undefined;

  const issue = (opts: IssueOptions = {}): IssuedCertificate => {
    const profile = opts.profile ?? 'valid';
    const rsaBits = opts.rsaBits ?? (profile === 'weak_key' ? 1024 : 2048);
    const hosts = profile === 'wrong_host' ? ['wrong.vor.invalid'] : [...(opts.hosts ?? DEFAULT_HOSTS)];
    const cacheKey = `${profile}|${rsaBits}|${hosts.join(',')}|${opts.days ?? ''}`;
    const hit = issued.get(cacheKey);
    if (hit !== undefined) return hit;
    const now = Date.now();
    const sameAsCached =
      (profile === 'valid' || profile === 'incomplete_chain') &&
      rsaBits === 2048 &&
      opts.days === undefined &&
      hosts.join(',') === DEFAULT_HOSTS.join(',');
    let keyPem: string;
    if (rsaBits === 2048) keyPem = b.leafKey;
    else if (rsaBits === 1024) keyPem = weakKey ??= generateRsaKey(1024).privatePem;
    else keyPem = generateRsaKey(rsaBits).privatePem;
    let notBefore = new Date(now - DAY);
    let notAfter = new Date(now + (opts.days ?? LEAF_DAYS) * DAY);
    if (profile === 'expired') {
      notBefore = new Date(now - 120 * DAY);
      notAfter = new Date(now - 2 * DAY);
    } else if (profile === 'expiring') notAfter = new Date(now + 5 * DAY);
    else if (profile === 'expiring_soon') notAfter = new Date(now + 15 * DAY);
    else if (profile === 'not_yet_valid') {
      notBefore = new Date(now + 30 * DAY);
      notAfter = new Date(now + 120 * DAY);
    }
    const selfSigned = profile === 'self_signed';
    const certPem = sameAsCached ? b.leafCert : createLeaf({ keyPem, hosts, notBefore, notAfter, selfSigned }, intermediate);
    const x = new X509Certificate(certPem);
    const sendIntermediate = profile !== 'incomplete_chain' && !selfSigned;
    const out: IssuedCertificate = {
      profile,
      hosts,
      rsaBits,
      notBefore: new Date(x.validFrom),
      notAfter: new Date(x.validTo),
      keyPem,
      certPem,
      chainPem: sendIntermediate ? `${certPem.trim()}\n${b.intCert.trim()}\n` : certPem,
      intermediatePem: selfSigned ? '' : b.intCert,
    };
    issued.set(cacheKey, out);
    return out;
  };

  const ca: LocalCa = {
    dir,
    caFile,
    caPem: b.caCert,
    intermediatePem: b.intCert,
    issue,
    generatedMs: generated ? Math.round(performance.now() - started) : 0,
  };
  caches.set(dir, ca);
  return ca;
}
