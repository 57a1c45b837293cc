import { readFileSync } from 'node:fs';
import type { TargetConfig } from '../config/schema.js';

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
}

const trimSlash = (url: string): string => url.replace(/\/+$/, '');

export function buildTarget(input: TargetConfig, credentials?: Credentials): Target {
  const base = new URL(input.baseUrl);
  const baseUrl = trimSlash(input.baseUrl);
  const apiUrl = trimSlash(input.apiUrl ?? `${baseUrl}/api`);
  const loginUrl = input.loginUrl ?? `${apiUrl}/auth/login`;
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
    queryUrl: input.queryUrl ?? `${apiUrl}/search?q=`,
    allowedOrigin: input.allowedOrigin ?? base.origin,
    environment: input.environment ?? 'production',
    ...(input.sessionCookie === undefined ? {} : { sessionCookie: input.sessionCookie }),
    ...(input.caFile === undefined ? {} : { caFile: input.caFile, caPem: readFileSync(input.caFile, 'utf8') }),
    ...(credentials === undefined ? {} : { credentials }),
    publicApiPaths: input.publicApiPaths,
    routes: input.routes,
  });
}
