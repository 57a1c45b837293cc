import { stringify } from 'yaml';
import { promDuration, TRIGGERS, type TriggerDefinition, type TriggerSettings } from './triggers.js';

export interface RulesOptions {
  /** The Prometheus job that scrapes the monitor (for the "monitor not reporting" alert). */
  readonly job: string;
  /** Where docs/runbooks/ is browsable; each alert's runbook_url is this plus `<alert>.md`. */
  readonly runbookBase?: string;
}

export const NOT_REPORTING_ALERT = 'VorMonitorNotReporting';
export const LOCATION_BLIND_ALERT = 'VorLocationBlind';
export const DEFAULT_RUNBOOK_BASE = 'https://github.com/vor/vor-watch/blob/main/docs/runbooks/';

/** Locations that must agree before a rollback fires; fewer reporting locations means all of them. */
export const LOCATION_QUORUM = 2;
const CERT_WARNING_DAYS = 14;
const CERT_CRITICAL_DAYS = 3;
const CRITICAL_CHECK_FOR = '10m';
const DAY_SECONDS = 86_400;

export function notReportingExpr(settings: TriggerSettings, job: string): string {
  const w = promDuration(settings.notReportingMs);
  return [
    `up{job="${job}"} == 0`,
    `or absent(up{job="${job}"})`,
    `or sum by (job, instance) (increase(vor_check_runs_total{job="${job}"}[${w}])) == 0`,
  ].join('\n');
}

const indent = (text: string): string => text.replace(/^/gm, '  ');

/** Locations whose monitor currently reports results for a target (a silent one is no voter). */
const REPORTING_LOCATIONS = 'count by (target) (count by (target, location) (vor_check_runs_total))';

/**
 * The rollback fires when at least LOCATION_QUORUM locations see the trigger's condition, or every
 * reporting location when fewer report (a single monitor, with or without a location, decides alone).
 */
export function quorumExpr(condition: string): string {
  return `count by (target) (\n${indent(condition)}\n) >= clamp_max(${REPORTING_LOCATIONS}, ${LOCATION_QUORUM})`;
}

/** One location sees the condition, the quorum does not: that location's view (network, DNS, egress) is suspect. */
export function locationBlindExpr(condition: string): string {
  return [
    `(\n${indent(condition)}\n)`,
    `unless on (target) (count by (target) (\n${indent(condition)}\n) >= ${LOCATION_QUORUM})`,
    `and on (target) (${REPORTING_LOCATIONS} >= ${LOCATION_QUORUM})`,
  ].join('\n');
}

/** The alert's runbook file name under docs/runbooks/. */
export function runbookFile(alert: string): string {
  return `${alert}.md`;
}

function annotate(alert: string, runbookBase: string, text: { summary: string; description: string }, extra: Record<string, string> = {}) {
  return { ...text, runbook_url: `${runbookBase}${runbookFile(alert)}`, ...extra };
}

function triggerRules(t: TriggerDefinition, settings: TriggerSettings, runbookBase: string) {
  const condition = t.expr(settings);
  const timing = {
    for: promDuration(t.forMs(settings)),
    ...(t.recoveryMs(settings) > 0 ? { keep_firing_for: promDuration(t.recoveryMs(settings)) } : {}),
  };
  return [
    {
      alert: t.alert,
      expr: quorumExpr(condition),
      ...timing,
      labels: { severity: 'critical', trigger: t.id, action: 'rollback' },
      annotations: annotate(
        t.alert,
        runbookBase,
        {
          summary: t.summary(settings),
          description: `${t.id} holds from {{ $value }} location(s), the quorum (${LOCATION_QUORUM}, or every reporting location when fewer report); roll back the last deploy of {{ $labels.target }}.`,
        },
        { trigger: t.id },
      ),
    },
    {
      alert: LOCATION_BLIND_ALERT,
      expr: locationBlindExpr(condition),
      ...timing,
      labels: { severity: 'warning', trigger: t.id },
      annotations: annotate(
        LOCATION_BLIND_ALERT,
        runbookBase,
        {
          summary: `Only location "{{ $labels.location }}" sees ${t.id} on {{ $labels.target }}`,
          description: `The other locations do not agree, so no rollback fires; suspect this location's network path, DNS or egress before the target.`,
        },
        { trigger: t.id },
      ),
    },
  ];
}

function ruleGroups(settings: TriggerSettings, { job, runbookBase = DEFAULT_RUNBOOK_BASE }: RulesOptions) {
  const expiresIn = 'min by (target) (vor_tls_certificate_expiry_timestamp_seconds) - time()';
  const checks = [
    {
      alert: 'VorCertificateExpiresSoon',
      expr: `${expiresIn} < ${CERT_WARNING_DAYS * DAY_SECONDS} > ${CERT_CRITICAL_DAYS * DAY_SECONDS}`,
      for: '1h',
      labels: { severity: 'warning' },
      annotations: annotate('VorCertificateExpiresSoon', runbookBase, {
        summary: `The TLS certificate of {{ $labels.target }} expires in less than ${CERT_WARNING_DAYS} days`,
        description: 'It expires in {{ $value | humanizeDuration }}. Renew it and deploy the new certificate.',
      }),
    },
    {
      alert: 'VorCertificateExpiresCritical',
      expr: `${expiresIn} < ${CERT_CRITICAL_DAYS * DAY_SECONDS}`,
      for: '5m',
      labels: { severity: 'critical' },
      annotations: annotate('VorCertificateExpiresCritical', runbookBase, {
        summary: `The TLS certificate of {{ $labels.target }} expires in less than ${CERT_CRITICAL_DAYS} days, or has expired`,
        description: 'Time left {{ $value | humanizeDuration }} (negative means expired). Browsers will refuse the site; renew now.',
      }),
    },
    {
      alert: 'VorCriticalCheckFailing',
      expr: 'max by (target, check, location) (vor_check_result{severity="critical",status=~"fail|error"}) == 1',
      for: CRITICAL_CHECK_FOR,
      labels: { severity: 'critical' },
      annotations: annotate('VorCriticalCheckFailing', runbookBase, {
        summary: `The critical check {{ $labels.check }} has failed on {{ $labels.target }} for ${CRITICAL_CHECK_FOR}`,
        description:
          'Seen from location "{{ $labels.location }}". Run `vor-watch probe --check {{ $labels.check }}` for the evidence and the remediation.',
      }),
    },
  ];
  const rollback = [
    ...TRIGGERS.flatMap((t) => triggerRules(t, settings, runbookBase)),
    {
      alert: NOT_REPORTING_ALERT,
      expr: notReportingExpr(settings, job),
      for: promDuration(settings.notReportingMs / 2),
      labels: { severity: 'warning' },
      annotations: annotate(NOT_REPORTING_ALERT, runbookBase, {
        summary: `The vor-watch monitor {{ $labels.instance }} is down, not scraped, or has produced no check results for ${promDuration(settings.notReportingMs)}; rollback triggers are blind`,
        description:
          'Nothing is known to be broken on the target, but nothing would be noticed either. Check the monitor pod and its scrape.',
      }),
    },
  ];
  return [
    { name: 'vor-watch-rollback', rules: rollback },
    { name: 'vor-watch-checks', rules: checks },
  ];
}

/** Every alert name the rule files define (each has a runbook in docs/runbooks/). */
export function alertNames(settings: TriggerSettings, options: RulesOptions): string[] {
  return [...new Set(ruleGroups(settings, options).flatMap((g) => g.rules.map((r) => r.alert)))];
}

const HEADER = '# Generated by `npm run gen:rules` from src/alerting/triggers.ts and rules.ts. Do not edit by hand.\n';

/** The Prometheus rule file for the rollback triggers, rendered from TRIGGERS (deploy/prometheus/vor-watch.rules.yml). */
export function renderRules(settings: TriggerSettings, options: RulesOptions): string {
  return HEADER + stringify({ groups: ruleGroups(settings, options) }, { lineWidth: 0 });
}

/** The same rules as a prometheus-operator PrometheusRule (deploy/k8s/prometheusrule.yaml). */
export function renderPrometheusRule(settings: TriggerSettings, options: RulesOptions & { namespace: string }): string {
  const resource = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      name: 'vor-watch-rollback',
      namespace: options.namespace,
      labels: { 'app.kubernetes.io/name': 'vor-watch', release: 'prometheus' },
    },
    spec: { groups: ruleGroups(settings, options) },
  };
  return HEADER + stringify(resource, { lineWidth: 0 });
}
