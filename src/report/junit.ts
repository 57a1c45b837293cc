import { create } from 'xmlbuilder2';
import { specOf } from '../core/catalogue.js';
import { xmlSafe } from '../core/control-chars.js';
import type { CheckResult, RunSummary } from '../core/result.js';

const suiteOf = (r: CheckResult): string => xmlSafe(`${r.target} ${specOf(r.id).area}`);

/** One <testcase> per result; fail → <failure>, error → <error>, skip → <skipped>; warn passes with a system-out note. */
export function renderJunit(summary: RunSummary): string {
  const suites = new Map<string, CheckResult[]>();
  for (const result of summary.results) {
    const key = suiteOf(result);
    suites.set(key, [...(suites.get(key) ?? []), result]);
  }
  const count = (list: readonly CheckResult[], status: CheckResult['status']) => list.filter((r) => r.status === status).length;
  const seconds = (msValue: number) => (msValue / 1000).toFixed(3);

  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele('testsuites', {
    name: 'vor-watch',
    tests: summary.results.length,
    failures: count(summary.results, 'fail'),
    errors: count(summary.results, 'error'),
    skipped: count(summary.results, 'skip'),
    time: seconds(summary.durationMs),
  });
  let index = 0;
  for (const [name, results] of suites) {
    const suite = root.ele('testsuite', {
      name,
      id: index++,
      tests: results.length,
      failures: count(results, 'fail'),
      errors: count(results, 'error'),
      skipped: count(results, 'skip'),
      time: seconds(results.reduce((sum, r) => sum + r.durationMs, 0)),
      timestamp: summary.startedAt.replace(/\.\d+Z$/, ''),
      hostname: xmlSafe(results[0]?.target ?? summary.target),
    });
    for (const r of results) {
      const testcase = suite.ele('testcase', { name: r.id, classname: `vor-watch.${specOf(r.id).area}`, time: seconds(r.durationMs) });
      // What the target sent can hold characters XML 1.0 forbids (ESC, NUL, lone surrogates): one would make the file unreadable.
      const message = xmlSafe(r.message);
      const type = xmlSafe(r.reason ?? r.status);
      const detail = xmlSafe(`${r.message}\nseverity: ${r.severity}\nevidence: ${JSON.stringify(r.evidence)}`);
      if (r.status === 'fail') testcase.ele('failure', { message, type }).txt(detail);
      else if (r.status === 'error') testcase.ele('error', { message, type }).txt(detail);
      else if (r.status === 'skip') testcase.ele('skipped', { message });
      else if (r.status === 'warn') testcase.ele('system-out').txt(`WARN (${type}): ${message}`);
    }
  }
  return root.end({ prettyPrint: true });
}
