import type { X509Certificate } from 'node:crypto';

export type TrustFailure = 'self_signed' | 'unknown_issuer' | 'incomplete_chain';

export type TrustPath =
  | { readonly trusted: true; readonly path: readonly X509Certificate[] }
  /** `path` is the longest signature-linked run from the leaf that could be built. */
  | { readonly trusted: false; readonly reason: TrustFailure; readonly path: readonly X509Certificate[] };

const MAX_DEPTH = 10;

function signedBy(subject: X509Certificate, issuer: X509Certificate): boolean {
  if (!subject.checkIssued(issuer)) return false;
  try {
    return subject.verify(issuer.publicKey);
  } catch {
    return false; // an unsupported or malformed key verifies nothing
  }
}

/** Not checkIssued: a self-signed end-entity certificate lacks keyCertSign, and OpenSSL's issuer check requires it. */
function isSelfSigned(cert: X509Certificate): boolean {
  if (cert.subject !== cert.issuer) return false;
  try {
    return cert.verify(cert.publicKey);
  } catch {
    return false;
  }
}

/**
 * Builds a path from the leaf to a trust anchor by signatures alone (dates and key sizes are
 * other checks' business). At each step an anchor is preferred over a served certificate, so a
 * served cross-signed (possibly expired) root is left off the path when its self-signed twin is
 * trusted, as a modern client would; other served certificates are tried with backtracking.
 */
export function buildTrustPath(chain: readonly X509Certificate[], anchors: readonly X509Certificate[]): TrustPath {
  const leaf = chain[0];
  if (leaf === undefined) return { trusted: false, reason: 'unknown_issuer', path: [] };
  const anchorPrints = new Set(anchors.map((a) => a.fingerprint256));
  let longest: X509Certificate[] = [leaf];

  const extend = (path: X509Certificate[]): X509Certificate[] | undefined => {
    const current = path[path.length - 1] as X509Certificate;
    if (path.length > longest.length) longest = path;
    if (anchorPrints.has(current.fingerprint256)) return path;
    if (path.length >= MAX_DEPTH) return undefined;
    const anchor = anchors.find((a) => signedBy(current, a));
    if (anchor !== undefined) return [...path, anchor];
    const onPath = new Set(path.map((c) => c.fingerprint256));
    for (const candidate of chain) {
      if (onPath.has(candidate.fingerprint256) || !signedBy(current, candidate)) continue;
      const found = extend([...path, candidate]);
      if (found !== undefined) return found;
    }
    return undefined;
  };

  const path = extend([leaf]);
  if (path !== undefined) return { trusted: true, path };
  return { trusted: false, reason: classifyBrokenPath(longest), path: longest };
}

function classifyBrokenPath(path: readonly X509Certificate[]): TrustFailure {
  const end = path[path.length - 1] as X509Certificate;
  if (isSelfSigned(end)) return path.length === 1 ? 'self_signed' : 'unknown_issuer';
  // The run stops at a certificate whose issuer is nowhere: a missing intermediate when that
  // certificate is an end-entity one (CAs issue leaves through intermediates), else a CA we don't know.
  return end.ca ? 'unknown_issuer' : 'incomplete_chain';
}
