import { readFileSync } from 'node:fs';
import type { TargetConfig } from '../config/schema.js';
import { NO_CHECK_SETTINGS, type CheckSettings } from '../custom/settings.js';
import {
  DEFAULT_APP_PROFILE,
  DEFAULT_TEST_USERS,
  isProductionTarget,
  resolveLocation,
  type AppProfile,
  type TestUsers,
} from '../config/profile.js';

export interface Credentials {
  readonly email: string;
  readonly password: string;
}

/** A target with every derived URL filled in (checks.md, Definitions). Frozen; no runtime state. */
export interface Target {
  readonly name: string;
  readonly baseUrl: string;
  /** scheme://host:port; the label used in results and metrics. */
  readonly origin: string;
  readonly host: string;
  readonly apiUrl: string;
  readonly httpUrl: string;
  readonly loginUrl: string;
  readonly rateLimitUrl: string;
  readonly queryUrl: string;
  readonly allowedOrigin: string;
  readonly environment: string;
  readonly sessionCookie?: string;
  readonly caFile?: string;
  /** Extra trusted CA certificates (PEM), read once from caFile. */
  readonly caPem?: string;
  readonly credentials?: Credentials;
  readonly publicApiPaths: readonly string[];
  readonly routes: readonly string[];
  /** By explicit setting or by name (prod, production, prd, live). */
  readonly production: boolean;
  /** What the app looks like (pages, elements, API shapes); the reference target's by default. */
  readonly app: AppProfile;
  readonly users: TestUsers;
  /** Absolute: the health endpoint (a path on the site, or another host). */
  readonly healthUrl?: string;
  /** Absolute: the state-changing request csrf.protection replays without its token. */
  readonly csrfProbeUrl: string;
  /** Absolute: an authenticated read (logout/deletion replays). */
  readonly authenticatedReadUrl: string;
  readonly configDir?: string;
  /** Its checks as code: HTTP assertion checks and overrides (README "Checks as code"). */
  readonly checkSettings: CheckSettings;
}

/** A target's settings as the config gives them, plus what resolveConfig attaches (the app, the test user). */
export type TargetInput = Omit<TargetConfig, 'users'> & {
  readonly users?: TestUsers;
  readonly app?: AppProfile;
  readonly credentials?: Credentials;
  /** The config file's folder (a users.throwaway hook module is found from there). */
  readonly configDir?: string;
  readonly checkSettings?: CheckSettings;
};

const trimSlash = (url: string): string => url.replace(/\/+$/, '');

export function buildTarget(input: TargetInput, fallbackCredentials?: Credentials): Target {
  const base = new URL(input.baseUrl);
  const baseUrl = trimSlash(input.baseUrl);
  const apiUrl = trimSlash(input.apiUrl ?? `${baseUrl}/api`);
  const app = input.app ?? DEFAULT_APP_PROFILE;
  const at = (location: string): string => resolveLocation(location, { baseUrl, apiUrl });
  const loginUrl = input.loginUrl ?? at(app.api.login.url);
  const credentials = Object.hasOwn(input, 'credentials') ? input.credentials : fallbackCredentials;
  const query = app.api.query;
  const httpDefault = `http://${base.hostname.includes(':') ? `[${base.hostname}]` : base.hostname}`;
  return Object.freeze({
    name: input.name ?? base.host,
    baseUrl,
    origin: base.origin,
    host: base.hostname.replace(/^\[|\]$/g, ''),
    apiUrl,
    httpUrl: trimSlash(input.httpUrl ?? httpDefault),
    loginUrl,
    rateLimitUrl: input.rateLimitUrl ?? loginUrl,
    queryUrl: input.queryUrl ?? `${at(query.url)}${query.url.includes('?') ? '&' : '?'}${encodeURIComponent(query.param)}=`,
    allowedOrigin: input.allowedOrigin ?? base.origin,
    environment: input.environment ?? 'production',
    ...((input.sessionCookie ?? app.api.sessionCookie) === undefined
      ? {}
      : { sessionCookie: input.sessionCookie ?? app.api.sessionCookie }),
    ...(input.caFile === undefined ? {} : { caFile: input.caFile, caPem: readFileSync(input.caFile, 'utf8') }),
    ...(credentials === undefined ? {} : { credentials }),
    publicApiPaths: input.publicApiPaths,
    routes: input.routes,
    // Judged on the environment as resolved: unset means production (checks.md).
    production: isProductionTarget({ ...input, environment: input.environment ?? 'production' }),
    app,
    users: input.users ?? DEFAULT_TEST_USERS,
    ...(app.api.health === undefined ? {} : { healthUrl: at(app.api.health) }),
    csrfProbeUrl: at(app.api.csrfProbe.url),
    authenticatedReadUrl: at(app.api.authenticatedRead),
    ...(input.configDir === undefined ? {} : { configDir: input.configDir }),
    checkSettings: input.checkSettings ?? NO_CHECK_SETTINGS,
  });
}
