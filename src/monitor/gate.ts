import type { TriggerStatus } from '../alerting/evaluator.js';
import { DEFAULT_TRIGGER_SETTINGS } from '../alerting/triggers.js';
import type { Target } from '../core/target.js';
import { unfillableWindows, type UnfillableWindow } from './gate-windows.js';
import { startMonitor, type MonitorInput } from './monitor.js';

export type GateVerdict = 'fired' | 'clean' | 'inconclusive';

export interface GateOutcome {
  readonly verdict: GateVerdict;
  /** The trigger that fired first (verdict `fired`). */
  readonly fired?: { readonly target: string; readonly status: TriggerStatus };
  /** Triggers that never had enough data to decide, per target (verdict `inconclusive`). */
  readonly undecided: readonly { readonly target: string; readonly status: TriggerStatus }[];
  readonly elapsedMs: number;
  /** Set when the signal stopped the gate before the window was over: never a clean pass. */
  readonly interrupted?: boolean;
  readonly finalStatuses: ReadonlyMap<string, readonly TriggerStatus[]>;
  /** Triggers whose window cannot fill within `forMs`: inconclusive at the end unless they fired. */
  readonly tooShort?: readonly UnfillableWindow[];
}

export interface GateInput extends Omit<MonitorInput, 'hooks'> {
  readonly forMs: number;
  readonly hooks?: MonitorInput['hooks'];
  readonly signal?: AbortSignal;
  /** Called every `heartbeatMs` (default: each interval, at most 10 s apart) with every target's trigger states so far. */
  readonly onHeartbeat?: (elapsedMs: number, statuses: ReadonlyMap<string, readonly TriggerStatus[]>) => void;
  readonly heartbeatMs?: number;
}

/**
 * Watches the targets for `forMs`. Resolves `fired` the moment any trigger fires; at the end of the
 * window, `clean` only if every trigger was conclusive, else `inconclusive` (no data is not health).
 */
export async function runGate(input: GateInput): Promise<GateOutcome> {
  const started = performance.now();
  const tooShort = unfillableWindows(input.triggerSettings ?? DEFAULT_TRIGGER_SETTINGS, input.forMs, {
    intervalMs: input.intervalMs,
    options: input.options,
  });
  let resolveFired: (fired: { target: string; status: TriggerStatus }) => void = () => undefined;
  const firedPromise = new Promise<{ target: string; status: TriggerStatus }>((resolve) => (resolveFired = resolve));
  const monitor = startMonitor({
    ...input,
    // A gate starts watching at once instead of spreading the first cycles out.
    jitterRatio: input.jitterRatio ?? 0,
    hooks: {
      ...input.hooks,
      onTriggers(target: Target, statuses, changed) {
        input.hooks?.onTriggers?.(target, statuses, changed);
        const firing = statuses.find((s) => s.state === 'firing');
        if (firing !== undefined) resolveFired({ target: target.origin, status: firing });
      },
    },
  });
  let timer: NodeJS.Timeout | undefined;
  const heartbeat = setInterval(
    () => input.onHeartbeat?.(performance.now() - started, monitor.triggers()),
    input.heartbeatMs ?? Math.min(10_000, input.intervalMs),
  );
  const windowOver = new Promise<'over' | 'interrupted'>((resolve) => {
    timer = setTimeout(() => resolve('over'), input.forMs);
    if (input.signal?.aborted === true) resolve('interrupted');
    input.signal?.addEventListener('abort', () => resolve('interrupted'), { once: true });
  });
  try {
    const first = await Promise.race([firedPromise, windowOver]);
    const elapsedMs = performance.now() - started;
    if (first !== 'over' && first !== 'interrupted')
      return { verdict: 'fired', fired: first, undecided: [], elapsedMs, finalStatuses: new Map(monitor.triggers()), tooShort };
    const finalStatuses = new Map(
      [...monitor.triggers()].map(([origin, statuses]) => [origin, statuses.map((s) => judgeable(s, tooShort))]),
    );
    const undecided = input.targets.flatMap((t) => {
      const statuses = finalStatuses.get(t.origin);
      if (statuses === undefined) return [{ target: t.origin, status: noDataYet(t.origin) }];
      return statuses.filter((s) => s.state === 'insufficient_data').map((status) => ({ target: t.origin, status }));
    });
    // A window cut short proves nothing about the deploy: inconclusive, whatever the triggers said so far.
    if (first === 'interrupted') return { verdict: 'inconclusive', undecided, elapsedMs, finalStatuses, interrupted: true, tooShort };
    return { verdict: undecided.length > 0 ? 'inconclusive' : 'clean', undecided, elapsedMs, finalStatuses, tooShort };
  } finally {
    clearTimeout(timer);
    clearInterval(heartbeat);
    await monitor.stop();
  }
}

/** A trigger that could not have fired within the window proves nothing by its silence. */
function judgeable(status: TriggerStatus, tooShort: readonly UnfillableWindow[]): TriggerStatus {
  const short = tooShort.find((w) => w.id === status.id);
  if (short === undefined || status.state === 'firing') return status;
  return {
    ...status,
    state: 'insufficient_data',
    message: short.message,
    evidence: { ...status.evidence, stateAtEnd: status.state, requiredSeconds: short.requiredMs / 1000 },
  };
}

const noDataYet = (origin: string): TriggerStatus => ({
  id: 'rollback.health_failures',
  state: 'insufficient_data',
  message: `no probe cycle against ${origin} finished within the window`,
  evidence: {},
  since: Date.now(),
});
