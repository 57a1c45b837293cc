import type { Agent, Response, fetch as undiciFetch } from 'undici';
import { resolveLocation } from '../src/config/profile.js';
import { ProbeFailure } from '../src/net/failure.js';
import { metaContent } from '../src/net/meta-tag.js';
import { encodeBody } from '../probes/cookies/app-request.js';
import type { Credentials, Target } from '../src/core/target.js';
import type { PreparedRequest } from './engines/types.js';
import type { Scenario, ScenarioRequest } from './scenarios/types.js';
import { weightedOrder } from './scenarios/weights.js';

const MAX_ASSETS = 20;

function baseOf(target: Target, request: ScenarioRequest): string {
  switch (request.base) {
    case 'site':
      return target.baseUrl;
    case 'api':
      return target.apiUrl;
    case 'login':
      return target.loginUrl;
    case 'url':
      return '';
  }
}

/** What the requests made before a run (login, session, asset discovery) go through. */
interface Http {
  readonly agent: Agent;
  readonly fetch: typeof undiciFetch;
}

/**
 * undici is loaded only for a scenario that needs requests before its run. Importing this module
 * with undici held 14.6 MB of heap and an 8-MB young generation; without it, 9.2 and 4 MB. The
 * closed model's run then shares its process with less (issue 17's gap to raw autocannon).
 */
async function httpFor(target: Target, timeoutMs: number): Promise<Http> {
  const { Agent, fetch } = await import('undici');
  const agent = new Agent({
    connect: target.caPem === undefined ? {} : { ca: target.caPem },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  return { agent, fetch };
}

/** Same-origin scripts, stylesheets and images the landing page references. */
export function assetPathsOf(html: string, pageUrl: string): string[] {
  const page = new URL(pageUrl);
  const found = new Set<string>();
  const pattern = /<(script|img|link)\b[^>]*?\s(src|href)\s*=\s*["']([^"']+)["'][^>]*>/gi;
  for (const match of html.matchAll(pattern)) {
    const [tag, element, , ref] = match;
    if (ref === undefined || element === undefined) continue;
    if (element.toLowerCase() === 'link' && !/rel\s*=\s*["']?(stylesheet|preload|modulepreload|icon)/i.test(tag)) continue;
    let url: URL;
    try {
      url = new URL(ref, page);
    } catch {
      continue;
    }
    if (url.origin === page.origin) found.add(`${url.pathname}${url.search}`);
  }
  return [...found].slice(0, MAX_ASSETS);
}

/** Cookies a response sets, by name (`name=value` only; attributes dropped). */
function cookiesSetBy(response: Response): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const line of response.headers.getSetCookie()) {
    const pair = line.split(';')[0] ?? '';
    const at = pair.indexOf('=');
    if (at > 0) cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
  }
  return cookies;
}

const cookieHeaderOf = (cookies: ReadonlyMap<string, string>): string => [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');

/** What a browser holds before it signs in: the pre-session cookies and the header carrying the CSRF token. */
interface LoginPrelude {
  readonly cookies: ReadonlyMap<string, string>;
  readonly headers: Readonly<Record<string, string>>;
  /** Why no CSRF token goes with the login (said when the login then fails). */
  readonly noToken?: string;
}

/** Fetches the app's CSRF token the way its front end does (app.api.csrf: a cookie, or a <meta> tag). */
async function loginPrelude(target: Target, http: Http, signal?: AbortSignal): Promise<LoginPrelude> {
  const csrf = target.app.api.csrf;
  if (csrf.mode === 'none') return { cookies: new Map(), headers: {} };
  const source = resolveLocation(csrf.source, target);
  const response = await http.fetch(source, {
    headers: { accept: csrf.mode === 'meta' ? 'text/html' : 'application/json' },
    dispatcher: http.agent,
    ...(signal === undefined ? {} : { signal }),
  });
  const body = await response.text();
  const cookies = cookiesSetBy(response);
  const token = csrf.mode === 'cookie' ? cookies.get(csrf.cookie) : metaContent(body, csrf.meta);
  if (token !== undefined) return { cookies, headers: { [csrf.header]: token } };
  // Like the probes, go on without a token: an app that does not check it on login still lets the user in.
  const missing = csrf.mode === 'cookie' ? `no ${csrf.cookie} cookie` : `no <meta name="${csrf.meta}">`;
  return { cookies, headers: {}, noToken: `its CSRF token source ${source} (app.api.csrf) answered ${response.status} with ${missing}` };
}

/** A login request shaped as the profile says (app.api.login: method, JSON or form, field names), with the CSRF prelude. */
function loginRequest(target: Target, prelude: LoginPrelude, email: string, password: string) {
  const login = target.app.api.login;
  const { contentType, body } = encodeBody(login.encoding, { [login.emailField]: email, [login.passwordField]: password });
  const cookie = cookieHeaderOf(prelude.cookies);
  return {
    method: login.method,
    headers: { 'content-type': contentType, origin: target.allowedOrigin, ...prelude.headers, ...(cookie === '' ? {} : { cookie }) },
    body,
  };
}

function requireCredentials(target: Target): Credentials {
  if (target.credentials === undefined) throw new ProbeFailure('no_credentials', 'no test user configured');
  return target.credentials;
}

/** Logs the test user in once; the cookies it ends up with go with every request of the run. */
async function sessionCookie(
  target: Target,
  credentials: Credentials,
  http: Http,
  prelude: LoginPrelude,
  signal?: AbortSignal,
): Promise<string> {
  const response = await http.fetch(target.loginUrl, {
    ...loginRequest(target, prelude, credentials.email, credentials.password),
    // A form login may answer with a redirect that sets the session cookie: keep that answer.
    redirect: 'manual',
    dispatcher: http.agent,
    ...(signal === undefined ? {} : { signal }),
  });
  await response.arrayBuffer();
  const session = cookiesSetBy(response);
  if (response.status >= 400 || session.size === 0) {
    throw new ProbeFailure(
      'login_failed',
      `the test user's login at ${target.loginUrl} (app.api.login) answered ${response.status} without a session cookie${prelude.noToken === undefined ? '' : `; ${prelude.noToken}`}`,
    );
  }
  return cookieHeaderOf(new Map([...prelude.cookies, ...session]));
}

/**
 * A scenario's request to the login URL, reshaped as the app's own login (its method, encoding, field
 * names and CSRF token), keeping the scenario's e-mail and password.
 */
function asAppLogin(target: Target, request: ScenarioRequest, prelude: LoginPrelude): Pick<PreparedRequest, 'method' | 'headers' | 'body'> {
  const fields = JSON.parse(request.body ?? '{}') as { email?: unknown; password?: unknown };
  const shaped = loginRequest(target, prelude, String(fields.email ?? ''), String(fields.password ?? ''));
  return { method: shaped.method, headers: { ...request.headers, ...shaped.headers }, body: shaped.body };
}

export interface PreparedScenario {
  readonly origin: string;
  readonly requests: readonly PreparedRequest[];
  readonly assets: readonly string[];
}

/** Turns a scenario's data into concrete requests on one origin (session cookie, discovered assets). */
export async function prepareScenario(
  scenario: Scenario,
  target: Target,
  { timeoutMs = 10_000, signal }: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<PreparedScenario> {
  let http: Http | undefined;
  try {
    const credentials = scenario.needsSession === true ? requireCredentials(target) : undefined;
    const logsIn = credentials !== undefined || scenario.requests.some((r) => r.base === 'login');
    if (logsIn || scenario.discoverAssets === true) http = await httpFor(target, timeoutMs);
    const prelude = logsIn && http !== undefined ? await loginPrelude(target, http, signal) : undefined;
    const cookie =
      credentials === undefined || prelude === undefined || http === undefined
        ? undefined
        : await sessionCookie(target, credentials, http, prelude, signal);
    const withSession = (headers: Readonly<Record<string, string>> = {}) => ({ ...headers, ...(cookie === undefined ? {} : { cookie }) });
    const urls = weightedOrder(scenario.requests).map((r) => ({ request: r, url: new URL(`${baseOf(target, r)}${r.path}`) }));
    let assets: string[] = [];
    if (scenario.discoverAssets === true && http !== undefined) {
      const response = await http.fetch(target.baseUrl, { dispatcher: http.agent, ...(signal === undefined ? {} : { signal }) });
      const html = await response.text();
      assets = assetPathsOf(html, response.url || target.baseUrl);
    }
    const origins = new Set(urls.map((u) => u.url.origin));
    if (origins.size > 1)
      throw new ProbeFailure(
        'several_origins',
        `the scenario ${scenario.name} spans several origins (${[...origins].join(', ')}); load runs against one`,
      );
    const origin = urls[0]?.url.origin ?? new URL(target.baseUrl).origin;
    const requests: PreparedRequest[] = urls.map(({ request, url }) => {
      const path = `${url.pathname}${url.search}`;
      if (request.base === 'login' && request.body !== undefined && prelude !== undefined) {
        // Wrong-password logins carry the pre-session cookies and CSRF token, never the test user's session.
        return { path, ...asAppLogin(target, request, prelude) };
      }
      return {
        method: request.method,
        path,
        headers: withSession({ ...(request.body === undefined ? {} : { 'content-type': 'application/json' }), ...request.headers }),
        ...(request.body === undefined ? {} : { body: request.body }),
      };
    });
    for (const path of assets) requests.push({ method: 'GET', path, headers: withSession() });
    return { origin, requests, assets };
  } finally {
    await http?.agent.close().catch(() => undefined);
  }
}
