import type { CheckId } from '../../src/core/catalogue.js';
import { pass, type Finding, type Status } from '../../src/core/result.js';
import type { HttpSnapshot } from '../../src/net/http.js';

const RANK: Readonly<Record<Status, number>> = { pass: 0, skip: 1, warn: 2, fail: 3, error: 4 };

/** The worst of several findings for one check; ties keep the first (the main document). */
export function worstOf(findings: readonly Finding[]): Finding | undefined {
  let worst: Finding | undefined;
  for (const finding of findings) if (worst === undefined || RANK[finding.status] > RANK[worst.status]) worst = finding;
  return worst;
}

/**
 * Evaluates a per-document rule on every document (main document and API base): the check holds
 * only if it holds on each, and a non-passing finding names the URL it is about.
 */
export function onEveryDocument(id: CheckId, documents: readonly HttpSnapshot[], evaluate: (doc: HttpSnapshot) => Finding): Finding {
  const findings = documents.map(evaluate);
  const worst = worstOf(findings);
  if (worst === undefined) return pass(id, 'no documents to evaluate');
  if (worst.status !== 'pass') return worst;
  const urls = documents.map((d) => d.finalUrl);
  return { ...worst, message: `${worst.message} (${urls.join(', ')})`, evidence: { ...worst.evidence, url: urls } };
}
