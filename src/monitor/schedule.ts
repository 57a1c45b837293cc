import picomatch from 'picomatch';
import type { ProbeOptions } from '../config/schema.js';
import type { Probe } from '../core/probe.js';

/** A set of probe families that share an interval. The first group whose globs match a family takes it. */
export interface ProbeGroup {
  readonly name: string;
  readonly globs: readonly string[];
  intervalMs(baseIntervalMs: number): number;
  /** How long one cycle of the group may run (default: its interval, at least 10 s, within options.deadlineMs). */
  deadlineMs?(intervalMs: number, options: ProbeOptions): number;
  /** Never waits for a free slot behind other groups' cycles: it must keep its cadence when they hang. */
  readonly ownLane?: boolean;
}

/**
 * Health runs on its own every interval, with a deadline of its own (its request timeout), so that a
 * hung target yields a failed health check each interval however long the other probes wait for it
 * (rollback.health_failures counts consecutive checks). Certificates change rarely, the rate-limit
 * burst is heavy traffic that must not hit the target every cycle, and the error-tracking check
 * sends a real event: these run at most every 10 minutes; everything else every interval.
 */
export const DEFAULT_GROUPS: readonly ProbeGroup[] = [
  {
    name: 'health',
    globs: ['health.*'],
    intervalMs: (base) => base,
    deadlineMs: (interval, options) => Math.min(options.deadlineMs, Math.max(interval, options.healthTimeoutMs)),
    ownLane: true,
  },
  { name: 'slow', globs: ['tls.*', 'ratelimit.*', 'monitoring.*'], intervalMs: (base) => Math.max(base * 10, 10 * 60_000) },
  { name: 'main', globs: ['**'], intervalMs: (base) => base },
];

export interface GroupedProbes {
  readonly group: ProbeGroup;
  readonly probes: readonly Probe[];
}

export function groupProbes(probes: readonly Probe[], groups: readonly ProbeGroup[]): GroupedProbes[] {
  const matchers = groups.map((g) => picomatch([...g.globs], { dot: true }));
  const byGroup = new Map<ProbeGroup, Probe[]>();
  for (const probe of probes) {
    const index = matchers.findIndex((matches) => probe.checks.some((id) => matches(id)));
    const group = groups[index];
    if (group === undefined) continue;
    byGroup.set(group, [...(byGroup.get(group) ?? []), probe]);
  }
  return groups.flatMap((group) => {
    const members = byGroup.get(group);
    return members === undefined ? [] : [{ group, probes: members }];
  });
}
