import type { LoadRecorder } from '../sample.js';

/** A request ready to send: path on the run's single origin, headers (session cookie included). */
export interface PreparedRequest {
  /** GET or POST for the scenarios' own requests; a login request takes the app's method (app.api.login.method). */
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface EngineOptions {
  readonly origin: string;
  readonly requests: readonly PreparedRequest[];
  readonly durationMs: number;
  /** Hard cap on requests sent, whatever the duration. */
  readonly maxRequests: number;
  readonly connections: number;
  readonly timeoutMs: number;
  readonly caPem?: string;
  readonly recorder: LoadRecorder;
  readonly isFailure: (status: number) => boolean;
  readonly signal?: AbortSignal;
}

export interface EngineRun {
  /** Resolves when the run ends (duration, request cap, stop or abort); never rejects for request errors. */
  readonly done: Promise<void>;
  stop(): void;
}

/**
 * Who sends the closed model's requests: vor-watch's own keep-alive connections (the default, the
 * open model's too) or autocannon's client (`vor-watch load --engine autocannon`), for a cross-check
 * against the reference tool.
 */
export const CLOSED_ENGINES = ['vor-watch', 'autocannon'] as const;
export type ClosedEngine = (typeof CLOSED_ENGINES)[number];

/** checks.md "Failed request": network error, timeout or 5xx; scenarios narrow what else is accepted. */
export const defaultIsFailure = (status: number): boolean => status >= 400;
