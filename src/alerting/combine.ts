import type { TriggerState, TriggerStatus } from './tracker.js';

/** Firing wins; then no data (it must never pass for a clean signal); then pending; ok only when both are ok. */
const RANK: Record<TriggerState, number> = { firing: 3, insufficient_data: 2, pending: 1, ok: 0 };

/**
 * One status per trigger from the synthetic probes and the service's own traffic: the worse state
 * decides, the message and evidence show both (traffic evidence keys prefixed `traffic.`).
 */
export function combineStatuses(probes: readonly TriggerStatus[], traffic: readonly TriggerStatus[] | undefined): TriggerStatus[] {
  return probes.map((p) => {
    const t = traffic?.find((s) => s.id === p.id);
    if (t === undefined) return p;
    const decided = RANK[t.state] > RANK[p.state] ? t : p;
    return {
      id: p.id,
      state: decided.state,
      since: decided.since,
      message: `synthetic probes: ${p.message}; service traffic: ${t.message}`,
      evidence: {
        ...p.evidence,
        ...Object.fromEntries(Object.entries(t.evidence).map(([k, v]) => [`traffic.${k}`, v])),
        'traffic.state': t.state,
        decidedBy: decided === t ? 'traffic' : 'probes',
      },
    };
  });
}
