/**
 * Renders deploy/prometheus/vor-watch.rules.yml and deploy/k8s/prometheusrule.yaml from the trigger definitions.
 * Usage: node --import tsx scripts/gen-rules.ts [--scale N] [--job NAME] [--runbook-base URL] [--out FILE|-]
 * --runbook-base (or VOR_RUNBOOK_BASE): where your copy of docs/runbooks/ is browsable; each alert's
 * runbook_url is that plus `<alert>.md`. The committed files use DEFAULT_RUNBOOK_BASE, a placeholder.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { renderPrometheusRule, renderRules } from '../src/alerting/rules.js';
import { DEFAULT_TRIGGER_SETTINGS, scaleTriggerSettings } from '../src/alerting/triggers.js';

export const RULES_FILE = fileURLToPath(new URL('../deploy/prometheus/vor-watch.rules.yml', import.meta.url));
export const PROMETHEUS_RULE_FILE = fileURLToPath(new URL('../deploy/k8s/prometheusrule.yaml', import.meta.url));

const { values } = parseArgs({
  options: {
    scale: { type: 'string' },
    job: { type: 'string', default: 'vor-watch' },
    'runbook-base': { type: 'string' },
    out: { type: 'string' },
  },
});
const scale = values.scale === undefined ? 1 : Number(values.scale);
if (!Number.isFinite(scale) || scale < 1) {
  process.stderr.write(`gen-rules: --scale must be a number ≥ 1, got "${values.scale}"\n`);
  process.exit(2);
}
const runbookBase = values['runbook-base'] ?? (process.env.VOR_RUNBOOK_BASE || undefined);
if (runbookBase !== undefined && !/^https?:\/\/.+\/$/.test(runbookBase)) {
  process.stderr.write(`gen-rules: --runbook-base / VOR_RUNBOOK_BASE must be an http(s) URL ending in /, got "${runbookBase}"\n`);
  process.exit(2);
}
const ruleOptions = { job: values.job, ...(runbookBase === undefined ? {} : { runbookBase }) };
const settings = scale === 1 ? DEFAULT_TRIGGER_SETTINGS : scaleTriggerSettings(DEFAULT_TRIGGER_SETTINGS, scale);
const text = renderRules(settings, ruleOptions);
const out = values.out ?? RULES_FILE;
if (out === '-') process.stdout.write(text);
else {
  writeFileSync(out, text);
  process.stderr.write(`gen-rules: wrote ${out}\n`);
  if (values.out === undefined) {
    writeFileSync(PROMETHEUS_RULE_FILE, renderPrometheusRule(settings, { ...ruleOptions, namespace: 'vor-watch' }));
    process.stderr.write(`gen-rules: wrote ${PROMETHEUS_RULE_FILE}\n`);
  }
}
