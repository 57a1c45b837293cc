/**
 * Renders deploy/prometheus/vor-watch.rules.yml and deploy/k8s/prometheusrule.yaml from the trigger definitions.
 * Usage: node --import tsx scripts/gen-rules.ts [--scale N] [--job NAME] [--out FILE|-]
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { renderPrometheusRule, renderRules } from '../src/alerting/rules.js';
import { DEFAULT_TRIGGER_SETTINGS, scaleTriggerSettings } from '../src/alerting/triggers.js';

export const RULES_FILE = fileURLToPath(new URL('../deploy/prometheus/vor-watch.rules.yml', import.meta.url));
export const PROMETHEUS_RULE_FILE = fileURLToPath(new URL('../deploy/k8s/prometheusrule.yaml', import.meta.url));

const { values } = parseArgs({
  options: { scale: { type: 'string' }, job: { type: 'string', default: 'vor-watch' }, out: { type: 'string' } },
});
const scale = values.scale === undefined ? 1 : Number(values.scale);
if (!Number.isFinite(scale) || scale < 1) {
  process.stderr.write(`gen-rules: --scale must be a number ≥ 1, got "${values.scale}"\n`);
  process.exit(2);
}
const settings = scale === 1 ? DEFAULT_TRIGGER_SETTINGS : scaleTriggerSettings(DEFAULT_TRIGGER_SETTINGS, scale);
const text = renderRules(settings, { job: values.job });
const out = values.out ?? RULES_FILE;
if (out === '-') process.stdout.write(text);
else {
  writeFileSync(out, text);
  process.stderr.write(`gen-rules: wrote ${out}\n`);
  if (values.out === undefined) {
    writeFileSync(PROMETHEUS_RULE_FILE, renderPrometheusRule(settings, { job: values.job, namespace: 'vor-watch' }));
    process.stderr.write(`gen-rules: wrote ${PROMETHEUS_RULE_FILE}\n`);
  }
}
