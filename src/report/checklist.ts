import { readFileSync } from 'node:fs';
import { marked, type Tokens } from 'marked';
import { CATALOGUE, CHECK_IDS, isCustomCheckId, type CheckId } from '../core/catalogue.js';
import type { Attestation, CheckResult, Status } from '../core/result.js';
import { PARTIAL_PROOF, type PartialProof } from './checklist-proof.js';
import { PROJECT_ROOT } from '../project-root.js';

export const CHECKLIST_FILE = new URL('spec/production-checklist.md', PROJECT_ROOT);

export interface ChecklistItem {
  /** "Section: item text", the key used by the catalogue and by attestations. */
  readonly key: string;
  readonly section: string;
  readonly text: string;
}

export interface ChecklistSection {
  readonly part: string;
  readonly name: string;
  readonly items: readonly ChecklistItem[];
}

/** Reads the production checklist's sections and items (tasks, numbered steps and plain bullets alike). */
export function parseChecklist(markdown: string): ChecklistSection[] {
  const sections: { part: string; name: string; items: ChecklistItem[] }[] = [];
  let part = '';
  for (const token of marked.lexer(markdown)) {
    if (token.type === 'heading') {
      const heading = token as Tokens.Heading;
      if (heading.depth === 2) part = heading.text;
      if (heading.depth === 3) sections.push({ part, name: heading.text.replace(/^Step \d+:\s*/, ''), items: [] });
    } else if (token.type === 'list') {
      const section = sections.at(-1);
      if (section === undefined) continue;
      for (const item of (token as Tokens.List).items) {
        const text = item.text.replace(/^\[[ x]\]\s*/i, '').trim();
        section.items.push({ key: `${section.name}: ${text}`, section: section.name, text });
      }
    }
  }
  return sections.filter((s) => s.items.length > 0);
}

export const loadChecklist = (): ChecklistSection[] => parseChecklist(readFileSync(CHECKLIST_FILE, 'utf8'));

/** Which check ids give evidence for each checklist item (derived from the catalogue, the one registry). */
export function checksByItem(): Map<string, CheckId[]> {
  const map = new Map<string, CheckId[]>();
  for (const id of CHECK_IDS) for (const item of CATALOGUE[id].checklist) map.set(item, [...(map.get(item) ?? []), id]);
  return map;
}

/** Items the monitor and gate prove over time rather than one run. */
const CONTINUOUS: Readonly<Record<string, string>> = {
  'Automated Rollback Triggers: Error rate > 5%':
    'rollback.error_rate: evaluated by `vor-watch monitor` / `gate` and the shipped alert rule',
  'Automated Rollback Triggers: Response time > 3s for 5 minutes':
    'rollback.slow_responses: evaluated by `vor-watch monitor` / `gate` and the shipped alert rule',
  'Automated Rollback Triggers: Health check failures > 3 consecutive':
    'rollback.health_failures: evaluated by `vor-watch monitor` / `gate` and the shipped alert rule',
};

export type ItemState = Status | 'partial' | 'attested' | 'not_attested' | 'not_run' | 'continuous';

/** How far an item is covered: proven by its checks, partly proven, attested by a person, failing, or open. */
export type Coverage = 'proven' | 'partial' | 'attested' | 'failing' | 'open';

export interface ChecklistRow {
  readonly item: ChecklistItem;
  readonly state: ItemState;
  readonly coverage: Coverage;
  readonly results: readonly CheckResult[];
  readonly checkIds: readonly CheckId[];
  readonly attestation?: Attestation;
  /** Set when the checks prove only part of the item: what they prove and what a person must attest. */
  readonly proof?: PartialProof;
  readonly note?: string;
}

export interface ChecklistGroup {
  readonly section: ChecklistSection;
  readonly rows: readonly ChecklistRow[];
}

const RANK: readonly Status[] = ['error', 'fail', 'warn', 'skip', 'pass'];

/**
 * The report renders an attestation's link as href: only http(s) links stay, so a `javascript:` or
 * `data:` URL from a checklist file never runs in the page. A dropped link is noted, not quoted.
 */
export function withSafeLink(attestation: Attestation): Attestation {
  const { link, ...rest } = attestation;
  if (link === undefined || (URL.canParse(link) && ['http:', 'https:'].includes(new URL(link).protocol))) return attestation;
  const dropped = 'link omitted: only http(s) links are shown';
  return { ...rest, note: rest.note === undefined ? dropped : `${rest.note} (${dropped})` };
}

function coverageOf(state: ItemState, proof: PartialProof | undefined, attested: boolean): Coverage {
  if (state === 'fail' || state === 'error') return 'failing';
  if (state === 'pass' && proof === undefined) return 'proven';
  if (attested) return 'attested';
  return state === 'pass' || state === 'warn' || state === 'partial' ? 'partial' : 'open';
}

function stateOf(mine: readonly CheckResult[], proof: PartialProof | undefined): ItemState {
  const worst = RANK.find((status) => mine.some((r) => r.status === status)) ?? 'pass';
  return worst === 'pass' && proof !== undefined ? 'partial' : worst;
}

/**
 * The worst status among an item's results decides its state; checks that prove only part of an
 * item make it "partial" at best; manual items show their attestation. An attestation never
 * outweighs a failing check.
 */
export function evaluateChecklist(
  sections: readonly ChecklistSection[],
  results: readonly CheckResult[],
  attestations: readonly Attestation[],
): ChecklistGroup[] {
  const byItem = checksByItem();
  return sections.map((section) => ({
    section,
    rows: section.items.map((item): ChecklistRow => {
      // A team's own check (custom.*) proves the items it declares, like a catalogue check proves its own.
      const custom = results.filter((r) => isCustomCheckId(r.id) && r.checklist.includes(item.key));
      const checkIds = [...(byItem.get(item.key) ?? []), ...new Set(custom.map((r) => r.id))];
      const found = attestations.find((a) => a.item === item.key || a.item === item.text);
      const attestation = found === undefined ? undefined : withSafeLink(found);
      const proof = checkIds.length === 0 ? undefined : PARTIAL_PROOF[item.key];
      const mine = results.filter((r) => checkIds.includes(r.id));
      const base = {
        item,
        checkIds,
        results: mine,
        ...(attestation === undefined ? {} : { attestation }),
        ...(proof === undefined ? {} : { proof }),
      };
      const attested = attestation !== undefined;
      if (mine.length === 0) {
        // The rollback triggers have results only in a `gate` run; elsewhere they are proven over time.
        const continuous = CONTINUOUS[item.key];
        const state: ItemState =
          continuous !== undefined && !attested ? 'continuous' : attested ? 'attested' : checkIds.length === 0 ? 'not_attested' : 'not_run';
        return { ...base, state, coverage: attested ? 'attested' : 'open', ...(continuous === undefined ? {} : { note: continuous }) };
      }
      const state = stateOf(mine, proof);
      return { ...base, state, coverage: coverageOf(state, proof, attested) };
    }),
  }));
}

export type CoverageCounts = Readonly<Record<Coverage, number>> & { readonly total: number };

export function countCoverage(groups: readonly ChecklistGroup[]): CoverageCounts {
  const counts: Record<Coverage, number> = { proven: 0, partial: 0, attested: 0, failing: 0, open: 0 };
  const rows = groups.flatMap((g) => g.rows);
  for (const row of rows) counts[row.coverage] += 1;
  return { ...counts, total: rows.length };
}

/** "34 proven, 8 partial, 20 attested, 17 open of 79" (failing items named only when there are some). */
export function coverageHeadline(counts: CoverageCounts): string {
  const failing = counts.failing > 0 ? `${counts.failing} failing, ` : '';
  return `${counts.proven} proven, ${counts.partial} partial, ${counts.attested} attested, ${failing}${counts.open} open of ${counts.total}`;
}

/** Items no check can see (no catalogue entry, not proven over time) that nobody attested. */
export const openManualItems = (groups: readonly ChecklistGroup[]): ChecklistRow[] =>
  groups.flatMap((g) => g.rows).filter((row) => row.checkIds.length === 0 && row.note === undefined && row.attestation === undefined);
