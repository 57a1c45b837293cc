/** JSON answers as the target sends them: no-store unless the api_cacheable fault is on. */
import type { ServerResponse } from 'node:http';
import { sendJson } from '../http.js';
import type { TargetState } from '../state.js';

export type JsonReply = (status: number, body: unknown, extraHeaders?: Record<string, string | string[]>) => void;

export function jsonReply(state: TargetState, res: ServerResponse): JsonReply {
  return (status, body, extraHeaders = {}) => sendJson(res, status, body, state.faults.api_cacheable, extraHeaders);
}
