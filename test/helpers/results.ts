import { specOf, type CheckId } from '../../src/core/catalogue.js';
import type { CheckResult, Status } from '../../src/core/result.js';

/** A contract-shaped result with passing defaults; tests override what they are about. */
export function checkResult(id: CheckId, status: Status = 'pass', overrides: Partial<CheckResult> = {}): CheckResult {
  return {
    id,
    status,
    severity: specOf(id).severity,
    ...(status === 'pass' ? {} : { reason: status === 'fail' ? 'missing' : status === 'error' ? 'timeout' : status }),
    message: `${id} is ${status} on https://127.0.0.1:8443/`,
    evidence: { url: 'https://127.0.0.1:8443/' },
    checklist: specOf(id).checklist,
    durationMs: 4,
    target: 'https://127.0.0.1:8443',
    ...overrides,
  };
}
