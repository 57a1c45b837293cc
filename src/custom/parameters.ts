import type { Budgets, ProbeOptions } from '../config/schema.js';
import type { BuiltinCheckId } from '../core/catalogue.js';

export interface CheckParameters {
  /** Browser budgets (config `budgets`) only this check reads. */
  readonly budgets?: readonly (keyof Budgets)[];
  /** Probe options (config `probes`) only this check reads. */
  readonly probes?: readonly (keyof ProbeOptions)[];
}

/**
 * The settings a per-check override may change: only those read by exactly one check, so that
 * changing one for a check never changes another check's verdict.
 */
export const CHECK_PARAMETERS: Readonly<Partial<Record<BuiltinCheckId, CheckParameters>>> = {
  'perf.web_vitals': { budgets: ['lcpFailMs', 'lcpWarnMs', 'clsFail', 'clsWarn'] },
  'perf.bundle_size': { budgets: ['bundleKb'] },
  'perf.images': { budgets: ['imageKb'] },
  'tls.certificate.validity': { probes: ['certFailDays', 'certWarnDays'] },
  'headers.hsts': { probes: ['hstsMinMaxAgeSeconds'] },
  'auth.token_lifetime': { probes: ['tokenMaxLifetimeHours'] },
  'health.endpoint': { probes: ['healthSlowMs'] },
  'static.cache_headers': { probes: ['staticFingerprintMinMaxAgeSeconds'] },
};

/** Every parameter name of a check, budgets first. */
export function parameterNamesOf(id: string): string[] {
  const parameters = (CHECK_PARAMETERS as Record<string, CheckParameters | undefined>)[id];
  return [...(parameters?.budgets ?? []), ...(parameters?.probes ?? [])];
}
