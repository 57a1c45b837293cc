import { Agent, fetch } from 'undici';
import { ProbeFailure } from '../src/net/failure.js';
import type { Target } from '../src/core/target.js';
import type { PreparedRequest } from './engines/types.js';
import type { Scenario, ScenarioRequest } from './scenarios/types.js';

const MAX_ASSETS = 20;

function baseOf(target: Target, request: ScenarioRequest): string {
  switch (request.base) {
    case 'site':
      return target.baseUrl;
    case 'api':
      return target.apiUrl;
    case 'login':
      return target.loginUrl;
  }
}

const agentFor = (target: Target, timeoutMs: number): Agent =>
  new Agent({ connect: target.caPem === undefined ? {} : { ca: target.caPem }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });

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

/** Logs the test user in once; the cookies it sets go with every request of the run. */
async function sessionCookie(target: Target, agent: Agent, signal?: AbortSignal): Promise<string> {
  const credentials = target.credentials;
  if (credentials === undefined) throw new ProbeFailure('no_credentials', 'no test user configured');
  const response = await fetch(target.loginUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: target.allowedOrigin },
    body: JSON.stringify({ email: credentials.email, password: credentials.password }),
    dispatcher: agent,
    ...(signal === undefined ? {} : { signal }),
  });
  await response.arrayBuffer();
  const cookies = response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0] ?? '')
    .filter((c) => c.includes('='));
  if (!response.ok || cookies.length === 0) {
    throw new ProbeFailure(
      'login_failed',
      `the test user's login at ${target.loginUrl} answered ${response.status} without a session cookie`,
    );
  }
  return cookies.join('; ');
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
  const agent = agentFor(target, timeoutMs);
  try {
    const cookie = scenario.needsSession === true ? await sessionCookie(target, agent, signal) : undefined;
    const withSession = (headers: Readonly<Record<string, string>> = {}) => ({ ...headers, ...(cookie === undefined ? {} : { cookie }) });
    const urls = scenario.requests.map((r) => ({ request: r, url: new URL(`${baseOf(target, r)}${r.path}`) }));
    let assets: string[] = [];
    if (scenario.discoverAssets === true) {
      const response = await fetch(target.baseUrl, { dispatcher: agent, ...(signal === undefined ? {} : { signal }) });
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
    const requests: PreparedRequest[] = urls.map(({ request, url }) => ({
      method: request.method,
      path: `${url.pathname}${url.search}`,
      headers: withSession({ ...(request.body === undefined ? {} : { 'content-type': 'application/json' }), ...request.headers }),
      ...(request.body === undefined ? {} : { body: request.body }),
    }));
    for (const path of assets) requests.push({ method: 'GET', path, headers: withSession() });
    return { origin, requests, assets };
  } finally {
    await agent.close().catch(() => undefined);
  }
}
