import { saturationNote, type GeneratorHealth } from '../saturation.js';
import { formatSeconds } from './format.js';

/** One line on the open model's own timeliness, for load.html and load.md. */
export function generatorLine(health: GeneratorHealth): string {
  const service =
    health.serviceTime === undefined
      ? ''
      : `; timed from the actual send, as closed-loop tools time it (no queueing): p50 ${formatSeconds(health.serviceTime.p50)}, p99 ${formatSeconds(health.serviceTime.p99)}`;
  if (health.saturated) return `${saturationNote(health)}${service}`;
  return `the generator kept its schedule: send lag p50 ${formatSeconds(health.sendLag.p50)}, p99 ${formatSeconds(health.sendLag.p99)} (bound ${formatSeconds(health.boundSeconds)})${service}`;
}
