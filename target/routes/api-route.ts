/** What an API route is: method, path, handler; and how `GET /api` lists it. */
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
  readonly json: JsonReply;
  /** The signed-in user; throws 401 without one. */
  user(): User;
}

export interface ApiRoute {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** `/api/...`, matched exactly (a trailing slash of the request is ignored). */
  readonly path: string;
  /** How `GET /api` lists the route: default `METHOD path`; false: not listed. */
  readonly listed?: string | false;
  handle(call: ApiCall): Promise<void> | void;
}

/** What `GET /api` lists for the route, or undefined when it is not listed. */
export function listingOf(route: ApiRoute): string | undefined {
  if (route.listed === false) return undefined;
  return route.listed ?? `${route.method} ${route.path}`;
}
