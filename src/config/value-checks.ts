/** Checks of single configuration values: a CA file, a Sentry DSN, credentials inside a URL. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { caPemProblem } from './ca-pem.js';

/** Why a CA file cannot be used (missing, not a file, no readable PEM certificate in it); undefined when it can. */
export function caFileProblem(file: string): string | undefined {
  const valid = 'give a PEM file of CA certificates';
  if (!existsSync(file)) return `file ${file} does not exist; ${valid}`;
  let text: string;
  try {
    if (!statSync(file).isFile()) return `${file} is not a file; ${valid}`;
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return `${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}); ${valid}`;
  }
  const problem = caPemProblem(text, file);
  return problem === undefined ? undefined : `${problem}; ${valid}`;
}

/** What the Sentry SDK accepts (its DSN_REGEX): one it rejects it would print in full on stderr. */
const SDK_DSN = /^(?:(\w+):)\/\/(?:(\w+)(?::(\w+)?)?@)((?:\[[:.%\w]+\]|[\w.-]+))(?::(\d+))?\/(.+)/;

/** Why a SENTRY_DSN cannot be used, without quoting it; undefined when it is a usable DSN. */
export function sentryDsnProblem(dsn: string): string | undefined {
  if (!URL.canParse(dsn)) return 'is not a URL';
  const url = new URL(dsn);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an http(s) URL';
  if (url.username === '') return 'lacks the public key (the part before @)';
  if (!/^\/(?:.*\/)?\d+\/?$/.test(url.pathname)) return 'lacks the numeric project id at the end of its path';
  if (!SDK_DSN.test(dsn)) return 'is not a DSN the Sentry SDK accepts (the public key is letters, digits and _)';
  return undefined;
}

const URL_FIELDS = ['baseUrl', 'apiUrl', 'httpUrl', 'allowedOrigin', 'loginUrl', 'rateLimitUrl', 'queryUrl'] as const;
const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)@/i;

/**
 * Credentials in a URL ("https://user:pass@host") are stripped: they would reach messages, summary.json
 * and the report with the URL. What was stripped becomes a secret, masked wherever it still appears.
 */
export function withoutUrlCredentials(candidate: unknown, secrets: string[]): unknown {
  if (candidate === null || typeof candidate !== 'object') return candidate;
  const out: Record<string, unknown> = { ...(candidate as Record<string, unknown>) };
  for (const field of URL_FIELDS) {
    const value = out[field];
    if (typeof value !== 'string') continue;
    const userinfo = USERINFO.exec(value)?.[2];
    if (userinfo === undefined) continue;
    out[field] = value.replace(USERINFO, '$1');
    const colon = userinfo.indexOf(':');
    const secret = colon < 0 ? userinfo : userinfo.slice(colon + 1);
    const decoded = (() => {
      try {
        return decodeURIComponent(secret);
      } catch {
        return secret;
      }
    })();
    secrets.push(secret, decoded, userinfo);
  }
  return out;
}
