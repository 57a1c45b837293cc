import { saturationNote, type GeneratorHealth } from '../saturation.js';
import { formatSeconds } from './format.js';

/** One line on the open model's own timeliness, for load.html and load.md. */
export function generatorLine(health: GeneratorHealth): string {
  if (health.saturated) return saturationNote(health);
  return `the generator kept its schedule: send lag p50 ${formatSeconds(health.sendLag.p50)}, p99 ${formatSeconds(health.sendLag.p99)} (bound ${formatSeconds(health.boundSeconds)})`;
}
