import type { ConfigProblem } from '../config/errors.js';
import type { Budgets, ProbeOptions } from '../config/schema.js';
import type { CheckId, CustomCheckId } from '../core/catalogue.js';
import type { Severity } from '../core/result.js';
import { CHECK_PARAMETERS, type CheckParameters } from './parameters.js';
import type { Auth, HttpCheck, OverridesConfig } from './schema.js';

/** An HTTP assertion check as one target runs it. */
export interface HttpCheckDefinition extends Omit<HttpCheck, 'id'> {
  readonly id: CustomCheckId;
  /** Where it is defined: "<config file>: checks.http.0". */
  readonly source: string;
  /**
   * The auth headers, from the environment variables the config names. A function, so that the
   * values stay out of anything that serialises a target (and the redactor masks them anyway).
   */
  authHeaders(): Readonly<Record<string, string>>;
}

/** One check switched off or changed for a target, and by which file. */
export interface CheckOverride {
  readonly id: CheckId;
  readonly off: boolean;
  readonly severity?: Severity;
  readonly budgets: Partial<Budgets>;
  readonly probes: Partial<ProbeOptions>;
  /** "<config file>: targets.1.overrides.headers.hsts". */
  readonly source: string;
}

/** A target's checks as code: its HTTP assertion checks and its overrides (top level and its own, merged). */
export interface CheckSettings {
  readonly http: readonly HttpCheckDefinition[];
  readonly overrides: readonly CheckOverride[];
}

export const NO_CHECK_SETTINGS: CheckSettings = Object.freeze({ http: [], overrides: [] });

/** One level of the config file: the top level, or one target's own settings. */
export interface CheckSettingsLevel {
  readonly http: readonly HttpCheck[];
  readonly overrides: OverridesConfig | undefined;
  /** The field path of this level's parent, e.g. "vor-watch.yml: " or "vor-watch.yml: targets.1.". */
  readonly at: string;
}

export interface ResolvedCheckSettings {
  readonly settings: CheckSettings;
  readonly problems: readonly ConfigProblem[];
  /** The values of every environment variable an auth names (masked everywhere). */
  readonly secrets: readonly string[];
}

const nonEmpty = (value: string | undefined): value is string => value !== undefined && value !== '';

function authEnvNames(auth: Auth): { field: string; name: string }[] {
  if (auth.type === 'bearer') return [{ field: 'tokenEnv', name: auth.tokenEnv }];
  if (auth.type === 'basic')
    return [
      { field: 'usernameEnv', name: auth.usernameEnv },
      { field: 'passwordEnv', name: auth.passwordEnv },
    ];
  return [{ field: 'valueEnv', name: auth.valueEnv }];
}

function authHeadersOf(auth: Auth | undefined, env: NodeJS.ProcessEnv): Record<string, string> {
  if (auth === undefined) return {};
  if (auth.type === 'bearer') return { authorization: `Bearer ${env[auth.tokenEnv] ?? ''}` };
  if (auth.type === 'basic')
    return { authorization: `Basic ${Buffer.from(`${env[auth.usernameEnv] ?? ''}:${env[auth.passwordEnv] ?? ''}`).toString('base64')}` };
  return { [auth.name.toLowerCase()]: env[auth.valueEnv] ?? '' };
}

function overrideOf(id: string, value: unknown, source: string): CheckOverride {
  const parameters: CheckParameters = (CHECK_PARAMETERS as Record<string, CheckParameters | undefined>)[id] ?? {};
  const settings = value === 'off' ? {} : (value as Record<string, unknown>);
  const pick = (names: readonly string[] | undefined) =>
    Object.fromEntries((names ?? []).filter((n) => settings[n] !== undefined).map((n) => [n, settings[n]]));
  return {
    id: id as CheckId,
    off: value === 'off',
    ...(settings.severity === undefined ? {} : { severity: settings.severity as Severity }),
    budgets: pick(parameters.budgets) as Partial<Budgets>,
    probes: pick(parameters.probes) as Partial<ProbeOptions>,
    source,
  };
}

/**
 * Merges the levels (later ones win per check id: a target's own definition or override replaces the
 * top-level one), names every environment variable an auth needs but that is unset, and collects
 * the values that must be masked.
 */
export function resolveCheckSettings(levels: readonly CheckSettingsLevel[], env: NodeJS.ProcessEnv): ResolvedCheckSettings {
  const http = new Map<string, HttpCheckDefinition>();
  const overrides = new Map<string, CheckOverride>();
  const problems: ConfigProblem[] = [];
  const secrets: string[] = [];
  for (const level of levels) {
    level.http.forEach((check, index) => {
      const source = `${level.at}checks.http.${index}`;
      for (const { field, name } of check.request.auth === undefined ? [] : authEnvNames(check.request.auth)) {
        const value = env[name];
        if (nonEmpty(value)) secrets.push(value);
        else
          problems.push({
            source: `${source}.request.auth.${field}`,
            message: `names the environment variable ${name}, which is not set; set ${name} (its value stays out of the file)`,
          });
      }
      const auth = check.request.auth;
      http.set(check.id, { ...check, id: check.id as CustomCheckId, source, authHeaders: () => authHeadersOf(auth, env) });
    });
    for (const [id, value] of Object.entries(level.overrides ?? {})) overrides.set(id, overrideOf(id, value, `${level.at}overrides.${id}`));
  }
  const basic = [...http.values()].flatMap((c) =>
    c.request.auth?.type === 'basic'
      ? [Buffer.from(`${env[c.request.auth.usernameEnv] ?? ''}:${env[c.request.auth.passwordEnv] ?? ''}`).toString('base64')]
      : [],
  );
  return {
    settings: Object.freeze({ http: [...http.values()], overrides: [...overrides.values()] }),
    problems,
    secrets: [...secrets, ...basic],
  };
}

/** The target's override of `id`, if any. */
export const overrideFor = (settings: CheckSettings, id: CheckId): CheckOverride | undefined => settings.overrides.find((o) => o.id === id);
