import type { Probe } from '../core/probe.js';

/** The probe registry (probes/index.ts `PROBES`): every HTTP probe, no browser. Loaded lazily so `--help` stays fast. */
export async function loadProbes(): Promise<readonly Probe[]> {
  const { PROBES } = await import('../../probes/index.js');
  return PROBES;
}
