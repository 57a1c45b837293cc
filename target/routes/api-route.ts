/** What an API route is: method, path template, handler; and how a request finds its route. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Auth } from '../auth.js';
import type { User } from '../db.js';
import type { Faults } from '../faults.js';
import type { TargetState } from '../state.js';
import type { JsonReply } from './reply.js';

export interface ApiCall {
  readonly state: TargetState;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  readonly cookies: Map<string, string>;
  readonly auth: Auth | undefined;
  /** The faults as the request found them when it reached the API. */
  readonly faults: Faults;
  readonly params: Readonly<Record<string, string>>;
  readonly json: JsonReply;
  /** The signed-in user; throws 401 without one. */
  user(): User;
}

export interface ApiRoute {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** `/api/...`; a `{name}` segment captures the parameter `name`, which must match `params[name]`. */
  readonly path: string;
  readonly params?: Readonly<Record<string, RegExp>>;
  /** How `GET /api` lists the route: default `METHOD path`; false: not listed. */
  readonly listed?: string | false;
  handle(call: ApiCall): Promise<void> | void;
}

/** The route's parameters when it answers `method path`, else undefined. */
export function matchRoute(route: ApiRoute, method: string, path: string): Record<string, string> | undefined {
  if (route.method !== method) return undefined;
  const want = route.path.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, segment] of want.entries()) {
    const actual = got[i] ?? '';
    const name = /^\{(\w+)\}$/.exec(segment)?.[1];
    if (name === undefined) {
      if (segment !== actual) return undefined;
      continue;
    }
    const pattern = route.params?.[name];
    if (actual === '' || (pattern !== undefined && !new RegExp(`^(?:${pattern.source})$`).test(actual))) return undefined;
    params[name] = actual;
  }
  return params;
}

/** What `GET /api` lists for the route, or undefined when it is not listed. */
export function listingOf(route: ApiRoute): string | undefined {
  if (route.listed === false) return undefined;
  return route.listed ?? `${route.method} ${route.path}`;
}
