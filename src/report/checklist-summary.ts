import type { Attestation, ChecklistSummary, CheckResult } from '../core/result.js';
import { countCoverage, coverageHeadline, evaluateChecklist, loadChecklist, openManualItems } from './checklist.js';

/** The checklist's state for summary.json: coverage counts, each item's state and what proves it. */
export function summarizeChecklist(
  results: readonly CheckResult[],
  attestations: readonly Attestation[],
  requireAttestations: boolean,
): ChecklistSummary {
  const groups = evaluateChecklist(loadChecklist(), results, attestations);
  const coverage = countCoverage(groups);
  return {
    headline: coverageHeadline(coverage),
    coverage,
    requireAttestations,
    openManualItems: openManualItems(groups).map((row) => row.item.key),
    items: groups.flatMap((g) =>
      g.rows.map((row) => ({
        item: row.item.key,
        state: row.state,
        coverage: row.coverage,
        checks: row.checkIds,
        ...(row.proof === undefined ? {} : { proven: row.proof.proven, notProven: row.proof.notProven }),
        ...(row.attestation === undefined ? {} : { attestedBy: `${row.attestation.by} on ${row.attestation.at}` }),
      })),
    ),
  };
}

/** NO-GO for launch day: --require-attestations and a manual item nobody attested. */
export const blocksLaunch = (checklist: ChecklistSummary | undefined): boolean =>
  checklist !== undefined && checklist.requireAttestations && checklist.openManualItems.length > 0;
