import type { CheckId } from './catalogue.js';

export const STATUSES = ['pass', 'warn', 'fail', 'error', 'skip'] as const;
export type Status = (typeof STATUSES)[number];

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };
export type Evidence = Readonly<Record<string, JsonValue>>;

/** What a probe, flow or threshold decided about one check. */
export interface Finding {
  readonly id: CheckId;
  readonly status: Status;
  /** Short snake_case machine word; required unless status is 'pass' (the runner enforces it). */
  readonly reason?: string;
  /** One human line naming the URL or host it is about. */
  readonly message: string;
  /** Header values, certificate dates, status codes, counts. Never a secret (the runner redacts). */
  readonly evidence: Evidence;
  /** Only to override the catalogue's default (e.g. CORS reflection with credentials → critical). */
  readonly severity?: Severity;
  /** A custom check's own checklist items ("Section: item"); built-in ids take the catalogue's. */
  readonly checklist?: readonly string[];
}

/** The record in summary.json (contract.md "Results"). */
export interface CheckResult extends Finding {
  readonly severity: Severity;
  readonly checklist: readonly string[];
  readonly durationMs: number;
  /** The target's origin (an addition the contract allows). */
  readonly target: string;
}

export type Verdict = 'pass' | 'fail';

export interface Attestation {
  readonly item: string;
  readonly by: string;
  readonly at: string;
  readonly link?: string;
  readonly note?: string;
}

/** The production checklist's state in summary.json (an addition the contract allows). */
export interface ChecklistSummary {
  /** e.g. "34 proven, 8 partial, 20 attested, 17 open of 79". */
  readonly headline: string;
  readonly coverage: Readonly<Record<'proven' | 'partial' | 'attested' | 'failing' | 'open' | 'total', number>>;
  /** With --require-attestations (or requireAttestations in the config), open manual items make the run NO-GO. */
  readonly requireAttestations: boolean;
  /** Manual items ("Section: item") nobody attested. */
  readonly openManualItems: readonly string[];
  readonly items: readonly {
    readonly item: string;
    readonly state: string;
    readonly coverage: string;
    readonly checks: readonly string[];
    readonly proven?: string;
    readonly notProven?: string;
    readonly attestedBy?: string;
  }[];
}

/** Everything one command run produced; every renderer reads this and nothing else. */
export interface RunSummary {
  readonly tool: 'vor-watch';
  readonly version: string;
  readonly target: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly verdict: Verdict;
  readonly results: readonly CheckResult[];
  /** The command and suite that ran (additions the contract allows). */
  readonly command?: string;
  readonly suite?: string;
  readonly checklist?: ChecklistSummary;
  /** Checks the config switched off or changed per target, and by which file (an addition the contract allows). */
  readonly overrides?: readonly OverrideNote[];
}

/** One check switched off or changed for a target by a config override. */
export interface OverrideNote {
  /** The target's origin, as results carry it. */
  readonly target: string;
  readonly targetName: string;
  readonly check: CheckId;
  /** "switched off", or e.g. "severity high → medium, lcpWarnMs 2500 → 2000". */
  readonly change: string;
  /** The file and field that says so, e.g. "staging.yml: targets.0.overrides.headers.hsts". */
  readonly source: string;
}

function finding(id: CheckId, status: Status, reason: string | undefined, message: string, evidence: Evidence = {}): Finding {
  return reason === undefined ? { id, status, message, evidence } : { id, status, reason, message, evidence };
}

export const pass = (id: CheckId, message: string, evidence?: Evidence): Finding => finding(id, 'pass', undefined, message, evidence);
export const warn = (id: CheckId, reason: string, message: string, evidence?: Evidence): Finding =>
  finding(id, 'warn', reason, message, evidence);
export const fail = (id: CheckId, reason: string, message: string, evidence?: Evidence): Finding =>
  finding(id, 'fail', reason, message, evidence);
export const errored = (id: CheckId, reason: string, message: string, evidence?: Evidence): Finding =>
  finding(id, 'error', reason, message, evidence);
export const skip = (id: CheckId, reason: string, message: string, evidence?: Evidence): Finding =>
  finding(id, 'skip', reason, message, evidence);
