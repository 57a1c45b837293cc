import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';
import { CATALOGUE } from '../core/catalogue.js';
import type { Attestation, CheckResult, RunSummary, Severity } from '../core/result.js';
import { evaluateChecklist, loadChecklist } from './checklist.js';
import { compareRuns, type RunComparison } from './compare.js';
import type { CheckTrend } from '../history/trends.js';

const eta = new Eta({ views: fileURLToPath(new URL('./templates', import.meta.url)), autoEscape: true, cache: true });

export interface ReportArtifacts {
  /** Relative links inside the run folder (Playwright report, load report, …). */
  readonly links: readonly { readonly label: string; readonly href: string }[];
  /** Screenshots per check id, as absolute file paths; small ones are inlined so the page stands alone. */
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
}

const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
const MAX_INLINE_IMAGE_BYTES = 400_000;

function inlineImage(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  const bytes = readFileSync(file);
  if (bytes.length > MAX_INLINE_IMAGE_BYTES) return undefined;
  const type = path.extname(file).toLowerCase() === '.jpeg' || path.extname(file).toLowerCase() === '.jpg' ? 'image/jpeg' : 'image/png';
  return `data:${type};base64,${bytes.toString('base64')}`;
}

/** One self-contained page for QA: verdict, the whole checklist, findings, flows, links. */
export function renderHtmlReport(input: ReportInput): string {
  const { summary } = input;
  const findings = summary.results
    .filter((r) => r.status !== 'pass')
    .sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) || a.id.localeCompare(b.id));
  const counts = Object.fromEntries(
    ['pass', 'warn', 'fail', 'error', 'skip'].map((s) => [s, summary.results.filter((r) => r.status === s).length]),
  );
  const screenshots = (input.artifacts?.screenshots ?? []).map((s) => ({
    id: s.id,
    src: inlineImage(s.path),
    file: path.basename(s.path),
  }));
  const flows = summary.results.filter((r) => CATALOGUE[r.id].area === 'flow' || CATALOGUE[r.id].area === 'browser');
  return eta.render('report', {
    title: input.title ?? `vor-watch report: ${summary.target}`,
    summary,
    counts,
    findings,
    flows,
    checklist: evaluateChecklist(loadChecklist(), summary.results, input.attestations),
    comparison: input.comparison ?? (input.previous === undefined ? undefined : compareRuns(input.previous, summary)),
    trends: input.trends ?? [],
    trendTargets: new Set((input.trends ?? []).map((t) => t.target)).size,
    links: input.artifacts?.links ?? [],
    traces: input.artifacts?.traces ?? [],
    screenshots,
    catalogue: CATALOGUE,
    evidenceText: (r: CheckResult) => JSON.stringify(r.evidence, null, 2),
  });
}
