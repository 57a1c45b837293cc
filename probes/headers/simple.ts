import { fail, pass, warn, type Finding } from '../../src/core/result.js';
import { headerOf, type HttpSnapshot } from '../../src/net/http.js';
import { parseCspList } from './csp.js';

export function evaluateContentTypeOptions(doc: HttpSnapshot): Finding {
  const header = headerOf(doc, 'x-content-type-options');
  const evidence = { url: doc.finalUrl, header };
  if (header === null)
    return fail('headers.x_content_type_options', 'missing', `X-Content-Type-Options is missing on ${doc.finalUrl}`, evidence);
  if (header.trim().toLowerCase() !== 'nosniff') {
    return fail(
      'headers.x_content_type_options',
      'invalid',
      `X-Content-Type-Options is "${header}", not nosniff, on ${doc.finalUrl}`,
      evidence,
    );
  }
  return pass('headers.x_content_type_options', 'X-Content-Type-Options: nosniff', evidence);
}

export function evaluateFrameOptions(doc: HttpSnapshot): Finding {
  const header = headerOf(doc, 'x-frame-options');
  const csp = headerOf(doc, 'content-security-policy');
  const frameAncestors =
    csp === null
      ? undefined
      : parseCspList(csp)
          .find((policy) => (policy.get('frame-ancestors') ?? []).length > 0)
          ?.get('frame-ancestors');
  const evidence = { url: doc.finalUrl, header, frameAncestors: frameAncestors?.join(' ') ?? null };
  if (frameAncestors !== undefined && frameAncestors.length > 0) {
    return pass('headers.frame_options', `CSP frame-ancestors ${frameAncestors.join(' ')}`, evidence);
  }
  const value = header?.trim().toUpperCase();
  if (value === 'DENY' || value === 'SAMEORIGIN') return pass('headers.frame_options', `X-Frame-Options: ${value}`, evidence);
  if (header !== null) {
    return fail(
      'headers.frame_options',
      'invalid',
      `X-Frame-Options is "${header}" and CSP has no frame-ancestors on ${doc.finalUrl}`,
      evidence,
    );
  }
  return fail('headers.frame_options', 'missing', `neither X-Frame-Options nor CSP frame-ancestors on ${doc.finalUrl}`, evidence);
}

const UNSAFE_REFERRER = ['unsafe-url', 'no-referrer-when-downgrade'];

export function evaluateReferrerPolicy(doc: HttpSnapshot): Finding {
  const header = headerOf(doc, 'referrer-policy');
  const evidence = { url: doc.finalUrl, header };
  if (header === null || header.trim() === '') {
    return warn('headers.referrer_policy', 'missing', `Referrer-Policy is missing on ${doc.finalUrl}`, evidence);
  }
  // Browsers apply the last token they understand; fallbacks come first.
  const effective =
    header
      .split(',')
      .map((t) => t.trim().toLowerCase())
      .filter((t) => t !== '')
      .at(-1) ?? '';
  if (UNSAFE_REFERRER.includes(effective)) {
    return warn('headers.referrer_policy', 'unsafe_value', `Referrer-Policy ${effective} leaks full URLs on ${doc.finalUrl}`, evidence);
  }
  return pass('headers.referrer_policy', `Referrer-Policy: ${effective}`, evidence);
}

function evaluatePresent(
  id: 'headers.permissions_policy' | 'headers.cross_origin_opener_policy',
  name: string,
  doc: HttpSnapshot,
): Finding {
  const header = headerOf(doc, name);
  const evidence = { url: doc.finalUrl, header };
  if (header === null || header.trim() === '') return warn(id, 'missing', `${name} is missing on ${doc.finalUrl}`, evidence);
  return pass(id, `${name}: ${header}`, evidence);
}

export const evaluatePermissionsPolicy = (doc: HttpSnapshot): Finding =>
  evaluatePresent('headers.permissions_policy', 'Permissions-Policy', doc);

export const evaluateOpenerPolicy = (doc: HttpSnapshot): Finding =>
  evaluatePresent('headers.cross_origin_opener_policy', 'Cross-Origin-Opener-Policy', doc);

export function evaluatePoweredBy(doc: HttpSnapshot): Finding {
  const header = headerOf(doc, 'x-powered-by');
  const evidence = { url: doc.finalUrl, header };
  if (header !== null) return fail('headers.x_powered_by', 'present', `X-Powered-By: ${header} is sent on ${doc.finalUrl}`, evidence);
  return pass('headers.x_powered_by', 'no X-Powered-By header', evidence);
}

/** "nginx/1.22.1", "Apache/2.4.57 (Debian)", "Microsoft-IIS/10.0"; not "nginx" or "cloudflare". */
export const disclosesVersion = (server: string): boolean => /\/\s*v?\d+(\.\d+)*|\bv?\d+\.\d+/i.test(server);

export function evaluateServerVersion(doc: HttpSnapshot): Finding {
  const header = headerOf(doc, 'server');
  const evidence = { url: doc.finalUrl, header };
  if (header !== null && disclosesVersion(header)) {
    return warn(
      'headers.server_version',
      'version_disclosed',
      `Server header discloses a version ("${header}") on ${doc.finalUrl}`,
      evidence,
    );
  }
  return pass('headers.server_version', header === null ? 'no Server header' : `Server: ${header} (no version)`, evidence);
}
