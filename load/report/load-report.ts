import type { CheckResult } from '../../src/core/result.js';
import { LoadRecorder, type LoadSample, type LoadStats } from '../sample.js';
import type { ClosedEngine } from '../engines/types.js';
import type { GeneratorHealth } from '../saturation.js';
import type { LoadCheckId, Threshold } from '../scenarios/types.js';

export type LoadModel = 'closed' | 'open' | 'capacity';

export interface CapacityStep {
  readonly rate: number;
  readonly held: boolean;
  readonly overall: LoadStats;
  readonly breaches: readonly LoadCheckId[];
}

/** load.json: everything the charts, the Markdown summary and a later baseline comparison need. */
export interface LoadReport {
  readonly tool: 'vor-watch';
  readonly kind: 'load';
  readonly scenario: string;
  readonly model: LoadModel;
  readonly target: string;
  readonly startedAt: string;
  readonly plannedDurationSeconds: number;
  readonly connections: number;
  /** Closed model: which client sent the requests. */
  readonly engine?: ClosedEngine;
  readonly rate?: number;
  readonly windowSeconds: number;
  readonly interrupted: boolean;
  readonly abortedOnBreach: boolean;
  /** Open model: the unrecorded lead-in at the same rate before the measured part. */
  readonly warmupSeconds?: number;
  readonly requests: readonly string[];
  readonly thresholds: readonly Threshold[];
  readonly sample: LoadSample;
  /** Open model: whether the generator kept its schedule (send lag against its bound). */
  readonly generator?: GeneratorHealth;
  readonly capacity?: { readonly highestHeldRate: number | null; readonly steps: readonly CapacityStep[] };
  readonly results: readonly CheckResult[];
}

/** What a run knows about itself; a run that could not start has no requests, thresholds, sample or results yet. */
export type LoadReportInput = Omit<
  LoadReport,
  'tool' | 'kind' | 'startedAt' | 'interrupted' | 'abortedOnBreach' | 'requests' | 'thresholds' | 'sample' | 'results'
> &
  Partial<Pick<LoadReport, 'interrupted' | 'abortedOnBreach' | 'requests' | 'thresholds' | 'sample' | 'results'>> & {
    readonly startedAt: Date;
  };

/** The one place a load.json is assembled (its key order is the file's). */
export function buildLoadReport(run: LoadReportInput): LoadReport {
  return {
    tool: 'vor-watch',
    kind: 'load',
    scenario: run.scenario,
    model: run.model,
    target: run.target,
    startedAt: run.startedAt.toISOString(),
    plannedDurationSeconds: run.plannedDurationSeconds,
    connections: run.connections,
    ...(run.engine === undefined ? {} : { engine: run.engine }),
    ...(run.rate === undefined ? {} : { rate: run.rate }),
    windowSeconds: run.windowSeconds,
    interrupted: run.interrupted ?? false,
    abortedOnBreach: run.abortedOnBreach ?? false,
    ...(run.warmupSeconds === undefined ? {} : { warmupSeconds: run.warmupSeconds }),
    requests: run.requests ?? [],
    thresholds: run.thresholds ?? [],
    sample: run.sample ?? new LoadRecorder(1000).snapshot(),
    ...(run.generator === undefined ? {} : { generator: run.generator }),
    ...(run.capacity === undefined ? {} : { capacity: run.capacity }),
    results: run.results ?? [],
  };
}
