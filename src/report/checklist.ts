import { readFileSync } from 'node:fs';
import { marked, type Tokens } from 'marked';
import { CATALOGUE, CHECK_IDS, type CheckId } from '../core/catalogue.js';
import type { Attestation, CheckResult, Status } from '../core/result.js';

export const CHECKLIST_FILE = new URL('../../spec/production-checklist.md', import.meta.url);

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

export type ItemState = Status | 'attested' | 'not_attested' | 'not_run' | 'continuous';

export interface ChecklistRow {
  readonly item: ChecklistItem;
  readonly state: ItemState;
  readonly results: readonly CheckResult[];
  readonly checkIds: readonly CheckId[];
  readonly attestation?: Attestation;
  readonly note?: string;
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

/** The worst status among an item's results decides its state; manual items show their attestation. */
export function evaluateChecklist(
  sections: readonly ChecklistSection[],
  results: readonly CheckResult[],
  attestations: readonly Attestation[],
): { section: ChecklistSection; rows: ChecklistRow[] }[] {
  const byItem = checksByItem();
  return sections.map((section) => ({
    section,
    rows: section.items.map((item): ChecklistRow => {
      const checkIds = byItem.get(item.key) ?? [];
      const found = attestations.find((a) => a.item === item.key || a.item === item.text);
      const attestation = found === undefined ? undefined : withSafeLink(found);
      const mine = results.filter((r) => checkIds.includes(r.id));
      const base = { item, checkIds, results: mine, ...(attestation === undefined ? {} : { attestation }) };
      if (mine.length === 0) {
        // The rollback triggers have results only in a `gate` run; elsewhere they are proven over time.
        const continuous = CONTINUOUS[item.key];
        if (continuous !== undefined) return { ...base, state: 'continuous', note: continuous };
        if (checkIds.length === 0) return { ...base, state: attestation === undefined ? 'not_attested' : 'attested' };
        return { ...base, state: attestation === undefined ? 'not_run' : 'attested' };
      }
      const worst = RANK.find((status) => mine.some((r) => r.status === status)) ?? 'pass';
      return { ...base, state: worst };
    }),
  }));
}
