/** A secret or test credential found in served code; only a masked excerpt is ever kept. */
export interface SecretMatch {
  readonly kind: string;
  readonly masked: string;
}

interface Pattern {
  readonly kind: string;
  readonly regex: RegExp;
  /** How many leading characters of the match are safe to show (the well-known prefix). */
  readonly visible: number;
}

export const SECRET_PATTERNS: readonly Pattern[] = [
  { kind: 'stripe_secret_key', regex: /\b(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{8,}/g, visible: 8 },
  { kind: 'aws_access_key', regex: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, visible: 4 },
  { kind: 'private_key', regex: /-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----/g, visible: 31 },
  { kind: 'plaid_secret', regex: /\bplaid[_-]?secret["'`]?\s*[:=]\s*["'`][0-9a-f]{24,}["'`]/gi, visible: 12 },
];

export const TEST_KEY_PATTERNS: readonly Pattern[] = [
  { kind: 'stripe_test_publishable_key', regex: /\bpk_test_[0-9A-Za-z]{8,}/g, visible: 8 },
  {
    kind: 'plaid_non_production_environment',
    regex: /\bplaid[\w.]*?(?:env|environment)["'`]?\s*[:=]\s*["'`](?:sandbox|development)["'`]/gi,
    visible: 64,
  },
  { kind: 'plaid_non_production_host', regex: /\b(?:sandbox|development)\.plaid\.com\b/gi, visible: 64 },
];

export function mask(match: string, visible: number): string {
  const shown = match.slice(0, Math.min(visible, match.length));
  return shown.length === match.length ? shown : `${shown}…[${match.length - shown.length} chars masked]`;
}

/** Every match of the patterns in the text, masked, at most `limit`. */
export function findSecrets(text: string, patterns: readonly Pattern[], limit = 10): SecretMatch[] {
  const found: SecretMatch[] = [];
  for (const pattern of patterns) {
    for (const match of text.matchAll(pattern.regex)) {
      found.push({ kind: pattern.kind, masked: mask(match[0], pattern.visible) });
      if (found.length >= limit) return found;
    }
  }
  return found;
}
