import type { lintSource as LintSource } from '@secretlint/core';

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

/**
 * Secrets come from secretlint's maintained recommended rule set (AWS, GCP, GitHub, Slack, npm,
 * SendGrid, OpenAI, private keys, credentials in URLs, …), with AWS access key ids switched on
 * (checks.md lists them). Its Stripe rule arrived only in secretlint 12, which needs Node 22, so
 * Stripe live secret and restricted keys, and Plaid secrets (which no maintained rule knows), are
 * patterns in secretlint's own pattern rule.
 */
async function loadSecretlint(): Promise<{ lintSource: typeof LintSource; config: Parameters<typeof LintSource>[0]['options']['config'] }> {
  const [{ lintSource }, { creator: patternRule }, { creator: recommended }, { secretLintProfiler }] = await Promise.all([
    import('@secretlint/core'),
    import('@secretlint/secretlint-rule-pattern'),
    import('@secretlint/secretlint-rule-preset-recommend'),
    import('@secretlint/profiler'),
  ]);
  // secretlint's profiler is always on, with no switch: it keeps every mark and measure of every scan
  // (and Node's performance timeline keeps the marks), so a monitor scanning scripts every cycle grew
  // with each scan, and each scan got slower (the profiler searches its whole list per mark). Marks
  // are its only input; with none, it records nothing. Nothing of ours reads its figures.
  secretLintProfiler.mark = () => undefined;
  const rules = [
    {
      id: '@secretlint/secretlint-rule-preset-recommend',
      rule: recommended,
      rules: [{ id: '@secretlint/secretlint-rule-aws', options: { enableIDScanRule: true } }],
    },
    {
      id: '@secretlint/secretlint-rule-pattern',
      rule: patternRule,
      options: {
        patterns: [
          { name: 'stripe_secret_key_live', pattern: String.raw`/\bsk_live_[0-9a-zA-Z]{20,}/` },
          { name: 'stripe_restricted_key_live', pattern: String.raw`/\brk_live_[0-9a-zA-Z]{20,}/` },
          { name: 'plaid_secret', pattern: String.raw`/\bplaid[_-]?secret["'\x60]?\s*[:=]\s*["'\x60][0-9a-f]{24,}["'\x60]/i` },
        ],
      },
    },
  ];
  return { lintSource, config: { rules } };
}

/** secretlint is loaded when the first script is scanned: a run without the exposure probe never pays for it. */
let secretlint: ReturnType<typeof loadSecretlint> | undefined;

/** `STRIPE_SECRET_KEY_LIVE` → `stripe_secret_key_live`; a pattern hit is named by its pattern. */
function kindOf(message: { ruleId: string; messageId?: string | undefined; data?: Record<string, unknown> | undefined }): string {
  const patternName = message.data?.PATTERN_NAME;
  if (message.ruleId === '@secretlint/secretlint-rule-pattern') return typeof patternName === 'string' ? patternName : 'pattern';
  const name = message.messageId ?? message.ruleId.replace(/^@secretlint\/secretlint-rule-/, '');
  return name
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toLowerCase();
}

/** The well-known prefix of a token (`sk_live_`, `AKIA`, `ghp_`, `-----BEGIN`) is safe to show; never more than a quarter of it. */
function visiblePrefix(match: string): number {
  const prefix = /^(?:[a-z]{2,4}_(?:live|test)_|[A-Z]{4}(?=[A-Z0-9]{16}$)|[a-z]{3,4}_|xox[a-z]-|-----BEGIN)/.exec(match)?.[0] ?? '';
  return Math.min(prefix.length, Math.floor(match.length / 4));
}

/** Every secret the maintained rules find in the text, masked, at most `limit`. */
export async function findSecretsInCode(text: string, limit = 10): Promise<SecretMatch[]> {
  const { lintSource, config } = await (secretlint ??= loadSecretlint());
  const result = await lintSource({
    source: { filePath: 'served-script.js', content: text, ext: '.js', contentType: 'text' },
    options: { config, noPhysicFilePath: true },
  });
  const seen = new Set<string>();
  const found: SecretMatch[] = [];
  for (const message of result.messages) {
    const [start, end] = message.range;
    const key = `${start}:${end}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const match = text.slice(start, end);
    found.push({ kind: kindOf(message), masked: mask(match, visiblePrefix(match)) });
    if (found.length >= limit) break;
  }
  return found;
}

/** How far a Plaid mention may be from a `env: "sandbox"` for the two to be one client's settings (minified code keeps them close). */
const PLAID_WINDOW = 400;

/** Stripe test keys and non-production Plaid hosts: test credentials on a production front end. */
export const TEST_KEY_PATTERNS: readonly Pattern[] = [
  { kind: 'stripe_test_publishable_key', regex: /\bpk_test_[0-9A-Za-z]{8,}/g, visible: 8 },
  { kind: 'stripe_test_secret_key', regex: /\bsk_test_[0-9A-Za-z]{8,}/g, visible: 8 },
  { kind: 'stripe_test_restricted_key', regex: /\brk_test_[0-9A-Za-z]{8,}/g, visible: 8 },
  { kind: 'plaid_non_production_host', regex: /\b(?:sandbox|development)\.plaid\.com\b/gi, visible: 64 },
];

/** `env: "sandbox"` / `environment: 'development'` (any quoting, minified or not), whatever object it sits in. */
const ENV_SETTING = /\b(?:plaid_?)?env(?:ironment)?["'`]?\s*[:=]\s*["'`](sandbox|development)["'`]/gi;

/** A Plaid environment setting that is not production, found near a Plaid mention (`Plaid.create({ env: "sandbox", … })`). */
function plaidEnvironments(text: string): SecretMatch[] {
  const found: SecretMatch[] = [];
  for (const match of text.matchAll(ENV_SETTING)) {
    const at = match.index;
    const around = text.slice(Math.max(0, at - PLAID_WINDOW), at + match[0].length + PLAID_WINDOW);
    if (/plaid/i.test(around)) found.push({ kind: 'plaid_non_production_environment', masked: match[0] });
  }
  return found;
}

/** Test credentials in front-end code: Stripe test keys (masked), Plaid sandbox/development settings. */
export function findTestKeys(text: string, limit = 10): SecretMatch[] {
  return [...findPatterns(text, TEST_KEY_PATTERNS, limit), ...plaidEnvironments(text)].slice(0, limit);
}

export function mask(match: string, visible: number): string {
  const shown = match.slice(0, Math.min(visible, match.length));
  return shown.length === match.length ? shown : `${shown}…[${match.length - shown.length} chars masked]`;
}

/** Every match of the patterns in the text, masked, at most `limit`. */
export function findPatterns(text: string, patterns: readonly Pattern[], limit = 10): SecretMatch[] {
  const found: SecretMatch[] = [];
  for (const pattern of patterns) {
    for (const match of text.matchAll(pattern.regex)) {
      found.push({ kind: pattern.kind, masked: mask(match[0], pattern.visible) });
      if (found.length >= limit) return found;
    }
  }
  return found;
}
