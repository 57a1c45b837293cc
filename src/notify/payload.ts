import type { CheckResult, RunSummary } from '../core/result.js';

/** At most this many failing checks are listed; the rest are counted. */
const MAX_LISTED = 15;

export interface RunNotice {
  readonly command: string;
  readonly summary: RunSummary;
  /** Where the report is: a URL under VOR_REPORT_URL, else the local path of index.html. */
  readonly reportLink: string;
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
  lines.push(`Report: ${notice.reportLink}`);
  return lines.join('\n');
}

/**
 * The webhook body. Slack (and Mattermost, Rocket.Chat) read `text`; the generic JSON carries the
 * same text plus the verdict and failing checks as fields for a machine to read. Only ids,
 * statuses and the results' already-redacted messages go out: never evidence, never secrets.
 */
export function buildPayload(notice: RunNotice, format: WebhookFormat): Record<string, unknown> {
  const text = textOf(notice);
  if (format === 'slack') return { text };
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
    report: notice.reportLink,
  };
}
