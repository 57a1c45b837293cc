/** `/health`: database ping, uptime, and the health faults (503, dependency down, hang). */
import type { ServerResponse } from 'node:http';
import type { Faults } from '../faults.js';
import type { TargetState } from '../state.js';
import { jsonReply } from './reply.js';

/** `f`: the faults as the request found them (before its injected delay). */
export function handleHealth(state: TargetState, res: ServerResponse, f: Faults): void {
  if (f.health_hang) return; // never answers; the socket is destroyed on close()
  const dbOk = databaseUp(state);
  const json = jsonReply(state, res);
  if (f.health_503) return json(503, { status: 'fail', checks: { database: { status: dbOk ? 'ok' : 'down' } } });
  if (f.health_dependency_down || !dbOk) return json(200, { status: 'fail', checks: { database: { status: 'down' } } });
  json(200, {
    status: 'ok',
    checks: { database: { status: 'ok' } },
    uptimeSeconds: Math.floor((Date.now() - state.startedAt) / 1000),
  });
}

function databaseUp(state: TargetState): boolean {
  try {
    return state.store.ping();
  } catch {
    return false;
  }
}
