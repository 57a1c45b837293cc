import type { Budgets, ProbeOptions } from '../config/schema.js';
import { specOf, type CheckId } from '../core/catalogue.js';
import type { Probe } from '../core/probe.js';
import type { Finding, OverrideNote } from '../core/result.js';
import type { Target } from '../core/target.js';
import { overrideFor, type CheckOverride, type CheckSettings } from './settings.js';

export const SWITCHED_OFF = 'switched_off';

/**
 * A switched-off check stays in the report as a `skip` naming the file that switched it off, so
 * that nobody mistakes its silence for a pass (and the checklist never counts it as proof).
 */
function switchedOff<T extends Finding>(finding: T, override: CheckOverride, target: Pick<Target, 'name'>): T {
  return {
    ...finding,
    status: 'skip',
    reason: SWITCHED_OFF,
    message: `${finding.id} is switched off for ${target.name} by ${override.source}`,
    evidence: { switchedOffBy: override.source },
    ...(override.severity === undefined ? {} : { severity: override.severity }),
  };
}

/** A finding or record with the target's override of its check applied (switched off, or its severity changed). */
export function applyOverride<T extends Finding>(finding: T, settings: CheckSettings, target: Pick<Target, 'name'>): T {
  const override = overrideFor(settings, finding.id);
  if (override === undefined) return finding;
  if (override.off) return switchedOff(finding, override, target);
  return override.severity === undefined ? finding : { ...finding, severity: override.severity };
}

/** Records with their target's overrides applied (browser and load records, which do not pass through the probe set). */
export function withConfigOverrides<T extends Finding & { readonly target: string }>(
  results: readonly T[],
  targets: readonly Pick<Target, 'name' | 'origin' | 'checkSettings'>[],
): T[] {
  const targetOf = new Map(targets.map((t) => [t.origin, t]));
  return results.map((r) => {
    const target = targetOf.get(r.target);
    return target === undefined ? r : applyOverride(r, target.checkSettings, target);
  });
}

/** The probe options with the parameters the target's overrides change for these checks. */
export function optionsFor(options: ProbeOptions, settings: CheckSettings, ids: readonly CheckId[]): ProbeOptions {
  const changed = settings.overrides.filter((o) => ids.includes(o.id) && !o.off).map((o) => o.probes);
  return changed.length === 0 ? options : Object.assign({}, options, ...changed);
}

/** The browser budgets with the target's overrides (each budget belongs to one check, so they merge without clashes). */
export function budgetsFor(budgets: Budgets, settings: CheckSettings): Budgets {
  const changed = settings.overrides.filter((o) => !o.off).map((o) => o.budgets);
  return changed.length === 0 ? budgets : Object.assign({}, budgets, ...changed);
}

/**
 * The probe with the target's overrides: a family whose every check is switched off makes no
 * request at all; otherwise it runs with the changed parameters and its findings are overridden.
 */
export function withOverrides(probe: Probe): Probe {
  return {
    ...probe,
    async run(ctx) {
      const settings = ctx.target.checkSettings;
      if (settings.overrides.length === 0) return probe.run(ctx);
      const ids = probe.checksFor?.(ctx.target) ?? probe.checks;
      const off = ids.flatMap((id) => {
        const override = overrideFor(settings, id);
        return override?.off === true ? [{ id, override }] : [];
      });
      if (off.length === ids.length && off.length > 0)
        return off.map(({ id, override }) => switchedOff({ id, status: 'skip', message: id, evidence: {} }, override, ctx.target));
      const findings = await probe.run({ ...ctx, options: optionsFor(ctx.options, settings, ids) });
      return findings.map((f) => applyOverride(f, settings, ctx.target));
    },
  };
}

/** What a target's overrides switch off or change, against the run's own settings, for the report. */
export function overrideNotes(
  target: Pick<Target, 'name' | 'origin' | 'checkSettings'>,
  base: { readonly budgets: Budgets; readonly probes: ProbeOptions },
): OverrideNote[] {
  return target.checkSettings.overrides.map((o) => {
    const declared = target.checkSettings.http.find((c) => c.id === o.id)?.severity ?? specOf(o.id).severity;
    const changes = o.off
      ? ['switched off']
      : [
          ...(o.severity === undefined ? [] : [`severity ${declared} → ${o.severity}`]),
          ...Object.entries(o.budgets).map(([name, value]) => `${name} ${String(base.budgets[name as keyof Budgets])} → ${String(value)}`),
          ...Object.entries(o.probes).map(
            ([name, value]) => `${name} ${String(base.probes[name as keyof ProbeOptions])} → ${String(value)}`,
          ),
        ];
    return {
      target: target.origin,
      targetName: target.name,
      check: o.id,
      change: changes.join(', ') || 'nothing changed',
      source: o.source,
    };
  });
}
