import { specOf, type CheckId } from '../core/catalogue.js';

/**
 * Why a probe made a request, the `purpose` label of vor_probe_requests_total and
 * vor_probe_request_duration_seconds (checks.md, Definitions, "Failed request"):
 * - `user`: a path users take (page loads, assets, API reads, login, health); only these feed
 *   rollback.error_rate and rollback.slow_responses;
 * - `hostile`: requests made to be refused or to look for what must not be there (rate-limit
 *   bursts, foreign-origin CORS/CSRF attempts, the plain-HTTP redirect probe, probing for exposed
 *   files, source maps and error leaks): their failures are findings of their own checks;
 * - `self`: the monitor checking its own plumbing (its /metrics, the error-tracking ingest).
 */
export const REQUEST_PURPOSES = ['user', 'hostile', 'self'] as const;
export type RequestPurpose = (typeof REQUEST_PURPOSES)[number];

const HOSTILE_AREAS: ReadonlySet<string> = new Set(['cors', 'ratelimit']);
const HOSTILE_CHECKS: ReadonlySet<CheckId> = new Set([
  'csrf.protection',
  'http.https_redirect',
  'exposure.sensitive_files',
  'exposure.source_maps',
  'exposure.error_leak',
]);

export function requestPurpose(check: CheckId): RequestPurpose {
  const { area } = specOf(check);
  if (area === 'monitoring') return 'self';
  if (HOSTILE_AREAS.has(area) || HOSTILE_CHECKS.has(check)) return 'hostile';
  return 'user';
}
