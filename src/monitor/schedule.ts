import picomatch from 'picomatch';
import type { Probe } from '../core/probe.js';

/** A set of probe families that share an interval. The first group whose globs match a family takes it. */
export interface ProbeGroup {
  readonly name: string;
  readonly globs: readonly string[];
  intervalMs(baseIntervalMs: number): number;
}

/**
 * Certificates change rarely, the rate-limit burst is heavy traffic that must not hit the target
 * every cycle, and the error-tracking check sends a real event: these run at most every 10
 * minutes; everything else every interval.
 */
export const DEFAULT_GROUPS: readonly ProbeGroup[] = [
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
