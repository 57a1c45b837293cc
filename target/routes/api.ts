/** The JSON API: CORS and CSRF in front, then the route table; `GET /api` lists the table. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authOf } from '../auth.js';
import type { User } from '../db.js';
import { applyCors, checkCsrf } from '../cors-csrf.js';
import { HttpError } from '../http.js';
import type { TargetState } from '../state.js';
import { DATA_RIGHTS_ROUTES, PROFILE_ROUTES } from './account-api.js';
import { listingOf, type ApiRoute } from './api-route.js';
import { AUTH_ROUTES } from './auth-api.js';
import { jsonReply } from './reply.js';
import { WIDGET_ROUTES } from './widgets-api.js';

/** In the order `GET /api` lists them. */
export const API_ROUTES: readonly ApiRoute[] = [...AUTH_ROUTES, ...PROFILE_ROUTES, ...WIDGET_ROUTES, ...DATA_RIGHTS_ROUTES];

const API_INDEX = {
  name: 'VÖR API',
  version: '1',
  endpoints: API_ROUTES.map(listingOf).filter((line) => line !== undefined),
};

export async function handleApi(
  state: TargetState,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  cookies: Map<string, string>,
): Promise<void> {
  const path = url.pathname.replace(/\/+$/, '') || '/api';
  const method = req.method ?? 'GET';
  const faults = state.faults;
  applyCors(state, req, res);
  if (method === 'OPTIONS') {
    res.statusCode = 204;
    res.setHeader('Cache-Control', 'no-store');
    res.end();
    return;
  }
  const auth = authOf(state, req, cookies);
  if (method !== 'GET' && method !== 'HEAD') checkCsrf(state, req, cookies, path, auth);
  const json = jsonReply(state, res);
  if (path === '/api' && (method === 'GET' || method === 'HEAD')) return json(200, API_INDEX);
  const route = API_ROUTES.find((r) => r.method === method && r.path === path);
  if (route === undefined) throw new HttpError(404, 'not found');
  const user = (): User => {
    if (auth === undefined) throw new HttpError(401, 'authentication required');
    return auth.user;
  };
  return await route.handle({ state, req, res, url, cookies, auth, faults, json, user });
}
