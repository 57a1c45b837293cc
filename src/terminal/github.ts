import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { escapeControlChars, escapeControlCharsButNewlines } from '../core/control-chars.js';
import type { Redactor } from '../core/redact.js';
import type { CheckResult, RunSummary, Status } from '../core/result.js';
import { countByStatus } from '../session/print.js';
import { areasOf, groupByRootCause, type ResultGroup } from './root-cause.js';

/** GitHub shows at most 10 error and 10 warning annotations of a step; one more than that would be dropped silently. */
const ANNOTATIONS_PER_KIND = 10;
/** Rows of the step summary's table; GitHub caps a step's summary at 1 MiB. */
const SUMMARY_ROWS = 50;

/** Workflow-command data (the message): %, CR and LF escaped, so text cannot end the command or start another. */
export const escapeData = (text: string): string => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

/** A workflow-command property value: as data, and the `:` and `,` that delimit properties. */
export const escapeProperty = (text: string): string => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

export type AnnotationKind = 'error' | 'warning' | 'notice';

/** `::error file=…,title=…::message`, every part escaped as GitHub documents. */
export function workflowCommand(kind: AnnotationKind, properties: Readonly<Record<string, string | undefined>>, message: string): string {
  const props = Object.entries(properties)
    .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '')
    .map(([key, value]) => `${key}=${escapeProperty(value)}`)
    .join(',');
  return `::${kind}${props === '' ? '' : ` ${props}`}::${escapeData(message)}`;
}

const KIND: Partial<Record<Status, AnnotationKind>> = { fail: 'error', error: 'error', warn: 'warning' };

export interface GithubContext {
  readonly summary: RunSummary;
  /** The run's report folder. */
  readonly dir: string;
  /** Where paths are shown from: GITHUB_WORKSPACE, else the working directory. */
  readonly workspace: string;
  readonly redactor: Redactor;
}

/** The report's index.html as a path inside the workspace (what `file=` and the summary show), absolute when outside it. */
function reportPath(context: GithubContext): string {
  const index = path.join(context.dir, 'index.html');
  const relative = path.relative(context.workspace, index);
  return relative.startsWith('..') || path.isAbsolute(relative) ? index : relative;
}

/** Text from a result, safe for GitHub: secrets masked again, control characters shown (newlines kept for %0A). */
const clean = (context: GithubContext, text: string): string => escapeControlCharsButNewlines(context.redactor.string(text));

function groupTitle(group: ResultGroup, first: CheckResult): string {
  return group.results.length === 1
    ? `${first.id} ${first.status} on ${first.target}`
    : `${group.results.length} checks ${first.status} on ${first.target} (${areasOf(group.results)})`;
}

function groupMessage(group: ResultGroup, first: CheckResult, separator = '\n'): string {
  const text = group.results.length === 1 ? first.message : `one root cause: ${group.cause?.text ?? first.message}`;
  return group.cause?.fix === undefined ? text : `${text}${separator}fix: ${group.cause.fix}`;
}

/**
 * One annotation per failing or warning root cause (a check alone, or the checks one failure took
 * down), errors first; beyond GitHub's ten of a kind, the tenth says how many more the summary lists.
 */
export function annotationsOf(context: GithubContext): string[] {
  const file = reportPath(context);
  const lines: string[] = [];
  for (const kind of ['error', 'warning'] as const) {
    const groups = groupByRootCause(context.summary.results.filter((r) => KIND[r.status] === kind));
    const shown = groups.length > ANNOTATIONS_PER_KIND ? groups.slice(0, ANNOTATIONS_PER_KIND - 1) : groups;
    for (const group of shown) {
      const first = group.results[0]!;
      lines.push(
        workflowCommand(kind, { file, title: clean(context, groupTitle(group, first)) }, clean(context, groupMessage(group, first))),
      );
    }
    const rest = groups.slice(shown.length).reduce((n, g) => n + g.results.length, 0);
    if (rest > 0)
      lines.push(
        workflowCommand(
          kind,
          { file, title: `${rest} more ${kind === 'error' ? 'failing' : 'warning'} checks` },
          `see the step summary and ${file}`,
        ),
      );
  }
  return lines;
}

/** Markdown that renders as text: no links, emphasis, HTML or table breaks from a target's words. */
const md = (text: string): string =>
  escapeControlChars(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_{}[\]()#+!|~]/g, '\\$&');

/** The run for the job's summary page: verdict, counts, the failing checks (one row per root cause), the report's path. */
export function stepSummaryOf(context: GithubContext): string {
  const { summary } = context;
  const counts = countByStatus(summary.results);
  const verdict = summary.verdict === 'pass' ? 'GO ✅' : 'NO-GO ❌';
  const lines = [
    `## vor-watch ${md(summary.command ?? 'run')}: ${verdict}`,
    '',
    `**Target** ${md(clean(context, summary.target))}${summary.suite === undefined ? '' : ` · **suite** ${md(summary.suite)}`} · ${(summary.durationMs / 1000).toFixed(1)} s`,
    '',
    '| pass | warn | fail | error | skip |',
    '| ---: | ---: | ---: | ---: | ---: |',
    `| ${counts.pass} | ${counts.warn} | ${counts.fail} | ${counts.error} | ${counts.skip} |`,
    '',
  ];
  const groups = groupByRootCause(summary.results.filter((r) => r.status === 'fail' || r.status === 'error'));
  if (groups.length > 0) {
    lines.push('### Failing checks', '', '| status | check | severity | message |', '| --- | --- | --- | --- |');
    for (const group of groups.slice(0, SUMMARY_ROWS)) {
      const first = group.results[0]!;
      const check = group.results.length === 1 ? md(first.id) : `${group.results.length} checks: ${md(areasOf(group.results))}`;
      lines.push(`| ${first.status} | ${check} | ${first.severity} | ${md(clean(context, groupMessage(group, first, '; ')))} |`);
    }
    if (groups.length > SUMMARY_ROWS) lines.push('', `…and ${groups.length - SUMMARY_ROWS} more in the report.`);
    lines.push('');
  }
  lines.push(`Report: \`${reportPath(context).replace(/`/g, "'")}\``, '');
  return lines.join('\n');
}

/**
 * Under GitHub Actions (GITHUB_ACTIONS=true): annotations for failing and warning checks on `out`
 * (the runner reads workflow commands from stdout and stderr alike; stdout stays --json's), and the
 * step summary appended to $GITHUB_STEP_SUMMARY. A summary that cannot be written is one warning,
 * never the verdict.
 */
export async function reportToGithub(
  context: Omit<GithubContext, 'workspace'>,
  env: NodeJS.ProcessEnv,
  out: NodeJS.WritableStream,
  cwd: string,
): Promise<void> {
  if (env.GITHUB_ACTIONS !== 'true') return;
  const full: GithubContext = { ...context, workspace: env.GITHUB_WORKSPACE ?? cwd };
  for (const line of annotationsOf(full)) out.write(`${line}\n`);
  const file = env.GITHUB_STEP_SUMMARY;
  if (file === undefined || file === '') return;
  try {
    await appendFile(file, stepSummaryOf(full));
  } catch (error) {
    out.write(`vor-watch: the GitHub step summary could not be written (${(error as Error).message})\n`);
  }
}
