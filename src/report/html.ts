import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';
import { specOf } from '../core/catalogue.js';
import type { Attestation, CheckResult, RunSummary, Severity } from '../core/result.js';
import type { CheckTrend } from '../history/trends.js';
import { CHECKLIST_FILE, countCoverage, coverageHeadline, evaluateChecklist, loadChecklist, openManualItems } from './checklist.js';
import { compareRuns, type RunComparison } from './compare.js';
import { evidenceBlocks } from './evidence-view.js';
import { parseLaunchDay, withLastRuns } from './launch-day.js';
import { screenshotViews, type ScreenshotView } from './screenshot-views.js';

const TEMPLATES = new URL('./templates', import.meta.url);
const eta = new Eta({ views: fileURLToPath(TEMPLATES), autoEscape: true, cache: true });
/** The filters' few lines of script, allowed by its hash in the page's Content-Security-Policy. */
const FILTER_SCRIPT = readFileSync(new URL('./templates/filters.js', import.meta.url), 'utf8');
const FILTER_SCRIPT_HASH = `sha256-${createHash('sha256').update(FILTER_SCRIPT).digest('base64')}`;

export interface ReportArtifacts {
  /** Relative links inside the run folder (Playwright report, load report, …). */
  readonly links: readonly { readonly label: string; readonly href: string }[];
  /** Screenshots per check id, as absolute file paths; the report shows thumbnails linking the full images. */
  readonly screenshots: readonly { readonly id: string; readonly path: string }[];
  readonly traces: readonly { readonly id: string; readonly href: string }[];
}

export interface ReportInput {
  readonly summary: RunSummary;
  readonly attestations: readonly Attestation[];
  readonly previous?: RunSummary;
  /** From the run history (src/history): wins over `previous`. */
  readonly comparison?: RunComparison;
  /** Each check's recent runs (templates/history.eta). */
  readonly trends?: readonly CheckTrend[];
  readonly artifacts?: ReportArtifacts;
  readonly title?: string;
  /** Where the other runs' folders are, for the launch-day timeline's last results. */
  readonly reportsDir?: string;
  /** The run folder the page is written to: screenshots link relative to it. */
  readonly runDir?: string;
  /** Screenshots with their thumbnails (prepareScreenshots); otherwise links only. */
  readonly screenshots?: readonly ScreenshotView[];
}

export const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
const BLOCKING = new Set(['fail', 'error']);

/** "4 ms", "1.2 s", "2 min 5 s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** The checklist sections a result belongs to ("Security", "Compliance", …), for the section filter. */
const sectionsOf = (result: CheckResult): string => [...new Set(result.checklist.map((item) => item.split(':')[0] ?? ''))].join('|');

/** One self-contained page for QA: verdict, the whole checklist, findings, flows, links. */
export function renderHtmlReport(input: ReportInput): string {
  const { summary } = input;
  // Failures first (fail, error), then warnings, then skips; by severity within each.
  const rank = (r: CheckResult) => (BLOCKING.has(r.status) ? 0 : r.status === 'warn' ? 1 : 2);
  const byUrgency = (a: CheckResult, b: CheckResult) =>
    rank(a) - rank(b) || SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) || a.id.localeCompare(b.id);
  const findings = summary.results.filter((r) => r.status !== 'pass').sort(byUrgency);
  const counts = Object.fromEntries(
    ['pass', 'warn', 'fail', 'error', 'skip'].map((s) => [s, summary.results.filter((r) => r.status === s).length]),
  );
  const checklist = evaluateChecklist(loadChecklist(), summary.results, input.attestations);
  const launchDay = parseLaunchDay(readFileSync(CHECKLIST_FILE, 'utf8'));
  const flows = summary.results.filter((r) => specOf(r.id).area === 'flow' || specOf(r.id).area === 'browser');
  const areas = [...new Set(summary.results.map((r) => specOf(r.id).area))].map((area) => {
    const results = summary.results.filter((r) => specOf(r.id).area === area);
    return { area, results, failing: results.filter((r) => BLOCKING.has(r.status)).length };
  });
  return compactWhitespace(
    eta.render('report', {
      title: input.title ?? `vor-watch report: ${summary.target}`,
      summary,
      counts,
      findings,
      flows,
      areas,
      checklist,
      checklistSections: [...new Set(checklist.map((g) => g.section.name))],
      coverageHeadline: coverageHeadline(countCoverage(checklist)),
      openManual: openManualItems(checklist),
      requireAttestations: summary.checklist?.requireAttestations === true,
      timeline: withLastRuns(launchDay.timeline, input.reportsDir),
      contacts: launchDay.contacts,
      comparison: input.comparison ?? (input.previous === undefined ? undefined : compareRuns(input.previous, summary)),
      trends: input.trends ?? [],
      trendTargets: new Set((input.trends ?? []).map((t) => t.target)).size,
      links: input.artifacts?.links ?? [],
      traces: input.artifacts?.traces ?? [],
      screenshots: input.screenshots ?? screenshotViews(input.artifacts?.screenshots ?? [], input.runDir),
      specOf,
      severities: SEVERITY_ORDER,
      evidenceBlocks,
      formatDuration,
      sectionsOf,
      script: FILTER_SCRIPT,
      scriptHash: FILTER_SCRIPT_HASH,
    }),
  );
}

/**
 * Drops the templates' indentation and runs of spaces (a third of the page otherwise); <pre> and
 * the script keep theirs. Outside those, HTML renders a run of spaces as one anyway.
 */
export const compactWhitespace = (html: string): string =>
  html.replace(
    /(<pre[\s\S]*?<\/pre>|<script[\s\S]*?<\/script>)|\n[ \t]+|[ \t]{2,}/g,
    (match, kept: string | undefined) => kept ?? (match.startsWith('\n') ? '\n' : ' '),
  );
