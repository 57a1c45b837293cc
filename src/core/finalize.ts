import { specOf, type CheckId } from './catalogue.js';
import type { Redactor } from './redact.js';
import type { CheckResult, Finding } from './result.js';

export interface FinalizeInput {
  readonly declared: readonly CheckId[];
  readonly findings: readonly Finding[];
  readonly target: string;
  readonly durationMs: number;
  readonly redactor: Redactor;
  /** Throw on an undeclared or duplicate finding (tests); otherwise it becomes an error result. */
  readonly strict?: boolean;
}

class ContractViolation extends Error {}

/**
 * The single place where findings from any source (probe, flow, load threshold) become
 * contract records: one per declared id, catalogue fields stamped, evidence redacted.
 */
export function finalizeFindings(input: FinalizeInput): CheckResult[] {
  const byId = new Map<CheckId, Finding>();
  const problems: string[] = [];
  for (const finding of input.findings) {
    if (!input.declared.includes(finding.id)) problems.push(`undeclared finding ${finding.id}`);
    else if (byId.has(finding.id)) problems.push(`duplicate finding ${finding.id}`);
    else byId.set(finding.id, finding);
  }
  if (problems.length > 0 && input.strict === true) throw new ContractViolation(problems.join('; '));

  return input.declared.map((id): CheckResult => {
    const spec = specOf(id);
    const found = byId.get(id);
    const finding: Finding =
      found === undefined
        ? {
            id,
            status: 'error',
            reason: 'not_evaluated',
            message: `${id} was not evaluated on ${input.target}${problems.length > 0 ? ` (${problems.join('; ')})` : ''}`,
            evidence: {},
          }
        : found.status !== 'pass' && (found.reason === undefined || found.reason === '')
          ? { ...found, reason: found.status }
          : found;
    const { reason } = finding;
    return {
      id,
      status: finding.status,
      severity: finding.severity ?? spec.severity,
      ...(reason === undefined || finding.status === 'pass' ? {} : { reason }),
      message: input.redactor.string(finding.message),
      evidence: input.redactor.evidence(finding.evidence),
      checklist: finding.checklist ?? spec.checklist,
      durationMs: Math.round(input.durationMs),
      target: input.target,
    };
  });
}
