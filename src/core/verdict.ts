import type { Status, Verdict } from './result.js';

const BLOCKING: ReadonlySet<Status> = new Set(['fail', 'error']);

export const isBlocking = (status: Status): boolean => BLOCKING.has(status);

/** GO ('pass') unless any result failed or could not be evaluated. */
export function decideVerdict(results: readonly { readonly status: Status }[]): Verdict {
  return results.some((r) => isBlocking(r.status)) ? 'fail' : 'pass';
}
