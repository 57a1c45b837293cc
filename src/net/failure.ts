/** Machine reasons for a check that could not be evaluated (contract: `error` results). */
export const FAILURE_REASONS = [
  'timeout',
  'connection_refused',
  'connection_reset',
  'dns_failed',
  'tls_handshake_failed',
  'unparseable_response',
  'internal',
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

export interface ClassifiedFailure {
  readonly reason: FailureReason;
  readonly detail: string;
}

const CODE_REASONS: Readonly<Record<string, FailureReason>> = {
  ECONNREFUSED: 'connection_refused',
  ECONNRESET: 'connection_reset',
  EPIPE: 'connection_reset',
  ECONNABORTED: 'connection_reset',
  UND_ERR_SOCKET: 'connection_reset',
  UND_ERR_CLOSED: 'connection_reset',
  ENOTFOUND: 'dns_failed',
  EAI_AGAIN: 'dns_failed',
  EAI_NONAME: 'dns_failed',
  ETIMEDOUT: 'timeout',
  ESOCKETTIMEDOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  ABORT_ERR: 'timeout',
  UND_ERR_ABORTED: 'timeout',
  HPE_INVALID_CONSTANT: 'unparseable_response',
  HPE_INVALID_VERSION: 'unparseable_response',
  HPE_INVALID_STATUS: 'unparseable_response',
  HPE_INVALID_HEADER_TOKEN: 'unparseable_response',
  HPE_HEADER_OVERFLOW: 'unparseable_response',
  UND_ERR_HEADERS_OVERFLOW: 'unparseable_response',
  UND_ERR_RES_EXCEEDED_MAX_SIZE: 'unparseable_response',
  UND_ERR_INFO: 'unparseable_response',
  ERR_SSL_WRONG_VERSION_NUMBER: 'tls_handshake_failed',
  ERR_SSL_PACKET_LENGTH_TOO_LONG: 'tls_handshake_failed',
  EPROTO: 'tls_handshake_failed',
  ERR_TLS_CERT_ALTNAME_INVALID: 'tls_handshake_failed',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'tls_handshake_failed',
  SELF_SIGNED_CERT_IN_CHAIN: 'tls_handshake_failed',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'tls_handshake_failed',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'tls_handshake_failed',
  CERT_HAS_EXPIRED: 'tls_handshake_failed',
  CERT_NOT_YET_VALID: 'tls_handshake_failed',
};

function chain(error: unknown): unknown[] {
  const seen: unknown[] = [];
  let current: unknown = error;
  while (current !== undefined && current !== null && seen.length < 8 && !seen.includes(current)) {
    seen.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return seen;
}

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : typeof error === 'string' ? error : (JSON.stringify(error) ?? String(error));

/** Maps any thrown value to a stable reason, looking through `cause` chains (undici wraps errors). */
export function classifyFailure(error: unknown): ClassifiedFailure {
  for (const link of chain(error)) {
    const code = (link as { code?: unknown }).code;
    if (typeof code === 'string') {
      const reason =
        CODE_REASONS[code] ?? (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') ? 'tls_handshake_failed' : undefined);
      if (reason !== undefined) return { reason, detail: `${code}: ${messageOf(link)}` };
    }
    const name = (link as { name?: unknown }).name;
    if (name === 'TimeoutError' || name === 'AbortError') return { reason: 'timeout', detail: messageOf(link) };
    // undici leaves `code` undefined when llhttp rejects the status line itself (garbage instead of HTTP).
    if (name === 'HTTPParserError') return { reason: 'unparseable_response', detail: messageOf(link) };
    if (link instanceof SyntaxError) return { reason: 'unparseable_response', detail: messageOf(link) };
    if (/handshake|ssl|tls/i.test(messageOf(link)) && /alert|wrong version|handshake/i.test(messageOf(link))) {
      return { reason: 'tls_handshake_failed', detail: messageOf(link) };
    }
  }
  return { reason: 'internal', detail: messageOf(error) };
}

/** A failure a probe raises on purpose, with a reason the runner keeps. */
export class ProbeFailure extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'ProbeFailure';
  }
}
