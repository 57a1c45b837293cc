/**
 * The reference target's local certificate authority: a root CA and an intermediate, generated at
 * first use and cached outside the repository (`${XDG_CACHE_HOME:-~/.cache}/vor-watch/ca`, mode 0700),
 * plus leaf certificates for every test profile (valid, expired, expiring, weak key, ...).
 *
 * Keys come from node's crypto.generateKeyPairSync (fast, native); certificates are built and signed
 * with node-forge. Nothing private is ever written inside the repository.
 */
import { createPublicKey, generateKeyPairSync, randomBytes, sign as cryptoSign, X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';

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

function rsaKey(bits: number): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: bits,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  return { privatePem: privateKey, publicPem: publicKey };
}

function publicPemOf(privatePem: string): string {
  return createPublicKey(privatePem).export({ type: 'spki', format: 'pem' }).toString();
}

function serial(): string {
  // positive, 16 bytes
  const b = randomBytes(16);
  b[0] = (b[0] ?? 0) & 0x7f;
  if (b[0] === 0) b[0] = 1;
  return b.toString('hex');
}

type Attr = forge.pki.CertificateField;

interface BuildCert {
  publicPem: string;
  subject: Attr[];
  issuer: Attr[];
  signerKeyPem: string;
  notBefore: Date;
  notAfter: Date;
  extensions: unknown[];
}

function buildCert(b: BuildCert): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(b.publicPem);
  cert.serialNumber = serial();
  cert.validity.notBefore = b.notBefore;
  cert.validity.notAfter = b.notAfter;
  cert.setSubject(b.subject);
  cert.setIssuer(b.issuer);
  cert.setExtensions(b.extensions as never[]);
  // Sign natively (node crypto) instead of forge's pure-JS RSA: same result, ~10x faster.
  const oid = forge.pki.oids.sha256WithRSAEncryption ?? '1.2.840.113549.1.1.11';
  cert.siginfo.algorithmOid = oid;
  cert.signatureOid = oid;
  const tbs = (forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }).getTBSCertificate(cert);
  cert.tbsCertificate = tbs;
  const der = Buffer.from(forge.asn1.toDer(tbs).getBytes(), 'binary');
  cert.signature = cryptoSign('sha256', der, b.signerKeyPem).toString('binary');
  return forge.pki.certificateToPem(cert);
}

function ski(publicPem: string): string {
  const pub = forge.pki.publicKeyFromPem(publicPem);
  return forge.pki.getPublicKeyFingerprint(pub, { type: 'RSAPublicKey' }).getBytes();
}

const ROOT_SUBJECT: Attr[] = [
  { name: 'commonName', value: 'vor-watch Local Root CA (test only)' },
  { name: 'organizationName', value: 'vor-watch reference target' },
];
const INT_SUBJECT: Attr[] = [
  { name: 'commonName', value: 'vor-watch Local Intermediate CA (test only)' },
  { name: 'organizationName', value: 'vor-watch reference target' },
];

function createRoot(): { key: string; cert: string } {
  const k = rsaKey(2048);
  const now = Date.now();
  const cert = buildCert({
    publicPem: k.publicPem,
    subject: ROOT_SUBJECT,
    issuer: ROOT_SUBJECT,
    signerKeyPem: k.privatePem,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 3650 * DAY),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      { name: 'subjectKeyIdentifier' },
    ],
  });
  return { key: k.privatePem, cert };
}

function createIntermediate(root: { key: string; cert: string }): { key: string; cert: string } {
  const k = rsaKey(2048);
  const now = Date.now();
  const cert = buildCert({
    publicPem: k.publicPem,
    subject: INT_SUBJECT,
    issuer: ROOT_SUBJECT,
    signerKeyPem: root.key,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 3000 * DAY),
    extensions: [
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      { name: 'subjectKeyIdentifier' },
      { name: 'authorityKeyIdentifier', keyIdentifier: ski(publicPemOf(root.key)) },
    ],
  });
  return { key: k.privatePem, cert };
}

function sanEntries(hosts: readonly string[]): unknown[] {
  return hosts.map((h) => (isIP(h) !== 0 ? { type: 7, ip: h } : { type: 2, value: h }));
}

interface LeafSpec {
  keyPem: string;
  hosts: readonly string[];
  notBefore: Date;
  notAfter: Date;
  selfSigned: boolean;
}

function createLeaf(spec: LeafSpec, issuer: { key: string; cert: string }): string {
  const pub = publicPemOf(spec.keyPem);
  const subject: Attr[] = [{ name: 'commonName', value: spec.hosts[0] ?? 'localhost' }];
  return buildCert({
    publicPem: pub,
    subject,
    issuer: spec.selfSigned ? subject : INT_SUBJECT,
    signerKeyPem: spec.selfSigned ? spec.keyPem : issuer.key,
    notBefore: spec.notBefore,
    notAfter: spec.notAfter,
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: sanEntries(spec.hosts) },
      { name: 'subjectKeyIdentifier' },
      ...(spec.selfSigned ? [] : [{ name: 'authorityKeyIdentifier', keyIdentifier: ski(publicPemOf(issuer.key)) }]),
    ],
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
    const leafKey = rsaKey(2048).privatePem;
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
    else if (rsaBits === 1024) keyPem = weakKey ??= rsaKey(1024).privatePem;
    else keyPem = rsaKey(rsaBits).privatePem;
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
