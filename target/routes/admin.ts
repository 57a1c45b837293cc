/** The admin API (`/__admin/*`): loopback only, bearer admin token; reads and switches faults, stats, rate-limit reset. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { activeFaults, type Faults } from '../faults.js';
import { isLoopback, readJson, safeEqual } from '../http.js';
import type { TargetState } from '../state.js';
import { jsonReply } from './reply.js';

/** Applies faults; `except` is the admin request's own connection, kept open until it has its answer. */
export type FaultSwitch = (next: Partial<Faults>, mode: 'replace' | 'merge', except?: Socket) => void;

export async function handleAdmin(
  state: TargetState,
  setFaults: FaultSwitch,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const json = jsonReply(state, res);
  res.setHeader('Cache-Control', 'no-store');
  const authz = req.headers.authorization ?? '';
  if (!isLoopback(req.socket.remoteAddress) || !safeEqual(authz, `Bearer ${state.adminToken}`)) {
    return json(401, { error: 'admin API: loopback only, with Authorization: Bearer <admin token>' });
  }
  if (url.pathname === '/__admin/faults') {
    if (req.method === 'GET') return json(200, state.faults);
    if (req.method === 'PUT' || req.method === 'PATCH') {
      const body = await readJson(req);
      try {
        setFaults(body as Partial<Faults>, req.method === 'PUT' ? 'replace' : 'merge', req.socket);
      } catch (err) {
        return json(400, { error: 'invalid faults', detail: (err as Error).message });
      }
      return json(200, state.faults);
    }
    res.setHeader('Allow', 'GET, PUT, PATCH');
    return json(405, { error: 'method not allowed' });
  }
  if (url.pathname === '/__admin/stats' && req.method === 'GET') {
    return json(200, {
      requests: state.requestCount,
      startedAt: new Date(state.startedAt).toISOString(),
      faults: activeFaults(state.faults),
    });
  }
  if (url.pathname === '/__admin/reset-ratelimit' && req.method === 'POST') {
    state.loginLimiter.clear();
    return json(200, { ok: true });
  }
  return json(404, { error: 'not found' });
}
