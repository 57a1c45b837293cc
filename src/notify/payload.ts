import type { CheckResult, RunSummary } from '../core/result.js';

/** At most this many failing checks are listed; the rest are counted. */
const MAX_LISTED = 15;

export interface RunNotice {
  readonly command: string;
  readonly summary: RunSummary;
  /** Where the report is: a URL under VOR_REPORT_URL, else the local path of index.html; none when it was not published. */
  readonly reportLink: string | undefined;
}

export type WebhookFormat = 'slack' | 'json';

const verdictWord = (summary: RunSummary): 'GO' | 'NO-GO' => (summary.verdict === 'pass' ? 'GO' : 'NO-GO');

const failingOf = (summary: RunSummary): CheckResult[] => summary.results.filter((r) => r.status === 'fail' || r.status === 'error');

/** "NO-GO: vor-watch verify on https://… — 2 failing checks" and one line per failing check. */
function textOf(notice: RunNotice): string {
  const { summary } = notice;
  const failing = failingOf(summary);
  const lines = [
    `${verdictWord(summary)}: vor-watch ${notice.command} on ${summary.target}` +
      (failing.length === 0 ? '' : ` — ${failing.length} failing check${failing.length === 1 ? '' : 's'}`),
    ...failing.slice(0, MAX_LISTED).map((r) => `• ${r.id} (${r.status}, ${r.severity}): ${r.message}`),
    ...(failing.length > MAX_LISTED ? [`… and ${failing.length - MAX_LISTED} more`] : []),
  ];
  if (summary.checklist?.requireAttestations === true && summary.checklist.openManualItems.length > 0)
    lines.push(`• checklist: ${summary.checklist.openManualItems.length} manual items not attested`);
  lines.push(`Report: ${notice.reportLink ?? 'not published (it was written outside the reports folder VOR_REPORT_URL serves)'}`);
  return lines.join('\n');
}

/**
 * Slack reads `<…>` as a mention or link (`<!channel>`, `<https://…|label>`) and `&` as an entity:
 * text from the target (its URL, its answers in the messages) must not be able to ping a channel
 * or show a forged link, so those three characters are escaped as Slack's formatting rules say.
 */
export function escapeSlackText(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/**
 * The webhook body. Slack (and Mattermost, Rocket.Chat) read `text`; the generic JSON carries the
 * same text (unescaped) plus the verdict and failing checks as fields for a machine to read. Only ids,
 * statuses and the results' already-redacted messages go out: never evidence, never secrets.
 */
export function buildPayload(
  notice: RunNotice,
  format: WebhookFormat,
  redact: (text: string) => string = (text) => text,
): Record<string, unknown> {
  // Redacted before escaping: an escaped secret (`&` → `&amp;`) would no longer match the redactor.
  const text = redact(textOf(notice));
  if (format === 'slack') return { text: escapeSlackText(text) };
  const { summary } = notice;
  return {
    text,
    tool: 'vor-watch',
    command: notice.command,
    target: summary.target,
    startedAt: summary.startedAt,
    verdict: verdictWord(summary),
    failing: failingOf(summary).map((r) => ({ id: r.id, status: r.status, severity: r.severity, message: r.message, target: r.target })),
    ...(summary.checklist === undefined ? {} : { checklist: summary.checklist.headline }),
    ...(notice.reportLink === undefined ? {} : { report: notice.reportLink }),
  };
}
