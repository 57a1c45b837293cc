import type { CheckResult } from '../core/result.js';

/** What made a check fail or go unevaluated, as far as its message tells, and what a person can do about it. */
export interface RootCause {
  /** Results with equal keys failed for the same reason: same status, reason and cause text. */
  readonly key: string;
  /** The cause as the message states it, without the check's own words ("headers probe of …"). */
  readonly text: string;
  /** The flag or setting that usually fixes it, when the cause is a known one. */
  readonly fix?: string;
}

/** Results printed as one line: a single result, or several with one root cause. */
export interface ResultGroup {
  readonly results: readonly CheckResult[];
  readonly cause?: RootCause;
}

const UNTRUSTED_ISSUER =
  /\b(UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT)\b/;
const PLAIN_HTTP_ON_TLS = /\b(ERR_SSL_WRONG_VERSION_NUMBER|ERR_SSL_PACKET_LENGTH_TOO_LONG)\b|wrong version number/i;

/** The fixes people reach for, by the machine reason and the error code in the message. */
function fixFor(reason: string | undefined, text: string): string | undefined {
  if (reason === 'dns_failed' || /\b(ENOTFOUND|EAI_AGAIN|EAI_NONAME)\b/.test(text))
    return 'the host name does not resolve here: check the --target URL (VOR_BASE_URL) and this machine’s DNS or VPN';
  if (UNTRUSTED_ISSUER.test(text) || reason === 'unknown_issuer')
    return 'the certificate’s issuer is not trusted here: pass the private CA with --ca <file> (VOR_CA_FILE)';
  if (PLAIN_HTTP_ON_TLS.test(text))
    return 'that address answers plain HTTP, not TLS: give the HTTPS URL as --target and the plain-HTTP one as --http (VOR_HTTP_URL)';
  if (/\bERR_TLS_CERT_ALTNAME_INVALID\b/.test(text))
    return 'the certificate does not name this host: use the host name it was issued for in --target';
  if (reason === 'connection_refused')
    return 'nothing accepts connections there: is the site up, and are the ports of --target and --http (VOR_HTTP_URL) right?';
  // A network timeout, not a browser test's own ("Test timeout of 30000ms exceeded"), which a flag does not fix.
  if (reason === 'timeout' && !/\btest timeout\b/i.test(text))
    return 'no answer in time: is the host reachable from this machine (firewall, VPN, proxy)?';
  return undefined;
}

/** A network or TLS error as the probes quote it, "CODE: what node said": the same one is the same cause, whatever the check made of it. */
const NETWORK_ERROR =
  /\b(?:E(?:CONN[A-Z]+|NOTFOUND|TIMEDOUT|HOSTUNREACH|NETUNREACH|AI_[A-Z]+|PROTO|PIPE|ADDRNOTAVAIL)|UND_ERR_[A-Z_]+|ERR_[A-Z0-9_]+|UNABLE_TO_[A-Z_]+|[A-Z_]*CERT[A-Z_]*): [^()]*/;

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The cause part of a result's message. Probes that could not run say "<what> of <origin> could not
 * be evaluated: <reason> (<detail>)", the browser run "<id> not evaluated on <origin>: <why>"; what
 * follows is the same for every check that one failure took down. Other messages count as their
 * own cause, with the check's id taken out.
 */
function causeText(result: CheckResult): string {
  const message = result.message.replace(new RegExp(escapeRegExp(result.id), 'g'), '<check>');
  const cut = /(?:could not be evaluated|not evaluated on \S+): (.*)$/s.exec(message)?.[1] ?? message;
  const reason = result.reason ?? '';
  // "dns_failed (ENOTFOUND: …)" and "ENOTFOUND: …" are one cause said two ways.
  return reason !== '' && cut.startsWith(`${reason} (`) && cut.endsWith(')') ? cut.slice(reason.length + 2, -1) : cut;
}

/** The root cause of a result that did not pass; undefined for passes and skips (nothing to fix). */
export function rootCauseOf(result: CheckResult): RootCause | undefined {
  if (result.status === 'pass' || result.status === 'skip') return undefined;
  // One DNS failure makes most checks errors and the health check a failure: one cause all the same.
  const network = NETWORK_ERROR.exec(result.message)?.[0].trim();
  const text = network ?? causeText(result);
  const fix = fixFor(result.reason, text);
  const key =
    network === undefined
      ? `${result.status}\u0000${result.reason ?? ''}\u0000${result.target}\u0000${text}`
      : `network\u0000${result.target}\u0000${text}`;
  return { key, text, ...(fix === undefined ? {} : { fix }) };
}

/**
 * Results in their order, those sharing a root cause gathered at the first one's place: 38 checks
 * one DNS failure took down are one group, a check failing for its own reason stays alone. Terminal
 * output only; reports keep every record.
 */
export function groupByRootCause(results: readonly CheckResult[]): ResultGroup[] {
  const groups: { results: CheckResult[]; cause?: RootCause }[] = [];
  const byKey = new Map<string, { results: CheckResult[]; cause?: RootCause }>();
  for (const result of results) {
    const cause = rootCauseOf(result);
    const existing = cause === undefined ? undefined : byKey.get(cause.key);
    if (existing !== undefined) {
      existing.results.push(result);
      continue;
    }
    const group = { results: [result], ...(cause === undefined ? {} : { cause }) };
    groups.push(group);
    if (cause !== undefined) byKey.set(cause.key, group);
  }
  return groups;
}

/** "tls ×6, headers ×10, cookies ×5": which areas a group of checks spans, for a line that names no single id. */
export function areasOf(results: readonly CheckResult[]): string {
  const counts = new Map<string, number>();
  for (const r of results) {
    const area = r.id.split('.')[0] ?? r.id;
    counts.set(area, (counts.get(area) ?? 0) + 1);
  }
  return [...counts].map(([area, n]) => (n === 1 ? area : `${area} ×${n}`)).join(', ');
}
