import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { marked, type Tokens } from 'marked';
import type { RunSummary } from '../core/result.js';

/** The command (and verify suite) that covers a row of the checklist's Launch Day Timeline. */
export interface Coverer {
  readonly command: string;
  readonly suite?: string;
  readonly invocation: string;
}

export interface LastRun {
  readonly runId: string;
  readonly startedAt: string;
  readonly verdict: RunSummary['verdict'];
  /**
   * Relative to a run folder (../<run-id>/index.html), so the link works from any report opened
   * from disk; under reports/targets/<target>/ the history links each such run beside `latest`.
   */
  readonly href: string;
}

export interface TimelineRow {
  readonly time: string;
  readonly action: string;
  readonly owner: string;
  readonly coveredBy?: Coverer;
  readonly last?: LastRun;
}

export interface Contact {
  readonly role: string;
  readonly contact: string;
}

/** Timeline actions vor-watch runs, by the action's text in the checklist; the others are people's work. */
const COVERERS: Readonly<Record<string, Coverer>> = {
  'Final security scan': { command: 'verify', suite: 'security', invocation: 'vor-watch verify --suite security' },
  'Deploy backend': { command: 'verify', suite: 'backend', invocation: 'vor-watch verify --suite backend' },
  'Deploy frontend': { command: 'verify', suite: 'frontend', invocation: 'vor-watch verify --suite frontend' },
  'Enable traffic': { command: 'gate', invocation: 'vor-watch gate --for 30m' },
  'Monitor metrics': { command: 'monitor', invocation: 'vor-watch monitor' },
  'Initial status report': { command: 'verify', suite: 'all', invocation: 'vor-watch verify' },
};

/** The rows of the table under each level-2 heading, keyed by the heading, cells by column header. */
function tablesByHeading(markdown: string): Map<string, Record<string, string>[]> {
  const tables = new Map<string, Record<string, string>[]>();
  let heading = '';
  for (const token of marked.lexer(markdown)) {
    if (token.type === 'heading' && (token as Tokens.Heading).depth === 2) heading = (token as Tokens.Heading).text;
    if (token.type !== 'table') continue;
    const table = token as Tokens.Table;
    const names = table.header.map((cell) => cell.text.trim().toLowerCase());
    tables.set(
      heading,
      table.rows.map((row) => Object.fromEntries(row.map((cell, index) => [names[index] ?? String(index), cell.text.trim()]))),
    );
  }
  return tables;
}

export function parseLaunchDay(markdown: string): { timeline: TimelineRow[]; contacts: Contact[] } {
  const tables = tablesByHeading(markdown);
  const timeline = (tables.get('Launch Day Timeline') ?? []).map((row): TimelineRow => {
    const action = row.action ?? '';
    const coveredBy = COVERERS[action];
    return { time: row.time ?? '', action, owner: row.owner ?? '', ...(coveredBy === undefined ? {} : { coveredBy }) };
  });
  const contacts = (tables.get('Emergency Contacts') ?? []).map((row) => ({ role: row.role ?? '', contact: row.contact ?? '' }));
  return { timeline, contacts };
}

/** A run folder's name (newRunId: …Z-<command>, …Z-<command>-<n>), the command captured. */
const RUN_FOLDER = /^\d{4}-\d{2}-\d{2}T[\d-]+Z-([a-z]+)(?:-\d+)?$/;

/** The newest finished run of a command (and verify suite) among reportsDir's run folders. */
export function findLastRun(reportsDir: string, coverer: Coverer): LastRun | undefined {
  let names: string[];
  try {
    names = readdirSync(reportsDir);
  } catch {
    return undefined; // no reports folder, or one that cannot be read: no last run to show
  }
  const candidates = names.filter((name) => RUN_FOLDER.exec(name)?.[1] === coverer.command).sort();
  for (const runId of candidates.reverse()) {
    const file = path.join(reportsDir, runId, 'summary.json');
    if (!existsSync(file)) continue;
    let summary: Partial<RunSummary>;
    try {
      summary = JSON.parse(readFileSync(file, 'utf8')) as Partial<RunSummary>;
    } catch {
      continue;
    }
    // Runs from before the summary named its suite were full runs.
    if (coverer.suite !== undefined && (summary.suite ?? 'all') !== coverer.suite) continue;
    if (summary.verdict !== 'pass' && summary.verdict !== 'fail') continue;
    return { runId, startedAt: summary.startedAt ?? '', verdict: summary.verdict, href: `../${runId}/index.html` };
  }
  return undefined;
}

/** The timeline with, for each covered row, the last run of its command, read from reportsDir. */
export const withLastRuns = (timeline: readonly TimelineRow[], reportsDir: string | undefined): TimelineRow[] =>
  timeline.map((row) => {
    if (row.coveredBy === undefined || reportsDir === undefined) return row;
    const last = findLastRun(reportsDir, row.coveredBy);
    return last === undefined ? row : { ...row, last };
  });
