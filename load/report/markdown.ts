import type { LoadReport } from './load-report.js';
import { enginesNote, formatChange, type LoadComparison } from './compare.js';
import { formatMetricValue, formatRate, formatRatio, formatSeconds } from './format.js';
import { generatorLine } from './saturation-text.js';

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The benchmark summary for the team's docs: thresholds, percentiles, windows, baseline. */
export function renderLoadMarkdown(report: LoadReport, comparison?: LoadComparison): string {
  const o = report.sample.overall;
  const lines: string[] = [];
  lines.push(`# Load test: ${report.scenario} on ${report.target}`, '');
  lines.push(
    `- Started ${report.startedAt}; ${report.model} model${report.rate === undefined ? `, ${report.connections} connections${report.engine === 'autocannon' ? ' (autocannon)' : ''}` : ` at ${report.rate} req/s`}; ${o.durationSeconds.toFixed(1)} s measured of ${report.plannedDurationSeconds} s planned`,
  );
  if (report.warmupSeconds !== undefined) {
    lines.push(
      `- Open model: latency measured from each request's intended send time; a ${report.warmupSeconds} s warm-up at the same rate is not recorded`,
    );
  }
  if (report.generator !== undefined) {
    const line = generatorLine(report.generator);
    lines.push(report.generator.saturated ? `- **${line}**` : `- Open model: ${line}`);
  }
  if (report.interrupted) lines.push('- **Interrupted** (Ctrl-C): the figures cover the part that ran.');
  if (report.abortedOnBreach) lines.push('- **Stopped at the first window that broke a threshold** (--abort-on-breach).');
  if (report.capacity !== undefined) {
    const last = report.capacity.steps.at(-1);
    const unbroken = last?.held === true ? ' (no threshold broke before the search ended: the capacity is at least this)' : '';
    const held = report.capacity.highestHeldRate;
    lines.push(`- Capacity: ${held === null ? 'no step held' : `the highest rate that held was **${held} req/s**${unbroken}`}`);
  }
  lines.push(`- ${o.requests} requests, ${o.failed} failed (${formatRatio(o.errorRatio)}), ${formatRate(o.requestsPerSecond)}`);
  for (const cause of report.sample.failureCauses ?? [])
    lines.push(`  - ${cause.count} without an answer: ${cause.reason} (first: ${cause.example})`);
  lines.push('');

  lines.push('## Thresholds', '', '| check | status | measured | limit |', '| --- | --- | --- | --- |');
  for (const r of report.results) {
    const metric = typeof r.evidence.metric === 'string' ? r.evidence.metric : '';
    const value = typeof r.evidence.value === 'number' ? formatMetricValue(metric, r.evidence.value) : '—';
    const limit =
      typeof r.evidence.limit === 'number'
        ? `${r.evidence.comparison === 'below' ? '<' : '≥'} ${formatMetricValue(metric, r.evidence.limit)}`
        : '—';
    lines.push(`| ${r.id} | ${r.status.toUpperCase()} | ${value} | ${limit} |`);
  }

  lines.push('', '## Latency percentiles', '', '| p50 | p90 | p95 | p99 | max |', '| --- | --- | --- | --- | --- |');
  lines.push(`| ${[o.latency.p50, o.latency.p90, o.latency.p95, o.latency.p99, o.latency.max].map(formatSeconds).join(' | ')} |`);

  lines.push(
    '',
    `## Windows of ${report.windowSeconds} s`,
    '',
    '| from | requests | req/s | p95 | p99 | errors |',
    '| --- | --- | --- | --- | --- | --- |',
  );
  for (const w of report.sample.windows) {
    lines.push(
      `| ${w.startSeconds} s | ${w.requests} | ${w.requestsPerSecond.toFixed(1)} | ${formatSeconds(w.latency.p95)} | ${formatSeconds(w.latency.p99)} | ${formatRatio(w.errorRatio)} |`,
    );
  }

  if (report.capacity !== undefined) {
    lines.push(
      '',
      '## Capacity steps',
      '',
      '| rate | held | achieved | p95 | p99 | errors | broke |',
      '| --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const s of report.capacity.steps) {
      lines.push(
        `| ${s.rate} req/s | ${s.held ? 'yes' : 'no'} | ${s.overall.requestsPerSecond.toFixed(1)} | ${formatSeconds(s.overall.latency.p95)} | ${formatSeconds(s.overall.latency.p99)} | ${formatRatio(s.overall.errorRatio)} | ${cell(s.breaches.join(', '))} |`,
      );
    }
  }

  if (comparison !== undefined) {
    lines.push('', `## Compared with the baseline of ${comparison.baselineStartedAt}`, '');
    if (!comparison.sameScenario)
      lines.push(`> The baseline ran a different scenario or model (${comparison.baselineScenario}); compare with care.`, '');
    if (comparison.engines !== undefined) lines.push(`> ${enginesNote(comparison.engines)}`, '');
    lines.push('| metric | baseline | now | change | |', '| --- | --- | --- | --- | --- |');
    for (const c of comparison.changes) {
      const metric = c.metric === 'errorRatio' || c.metric === 'requestsPerSecond' ? c.metric : 'latency';
      lines.push(
        `| ${c.metric} | ${formatMetricValue(metric, c.baseline)} | ${formatMetricValue(metric, c.current)} | ${formatChange(c)} | ${c.regression ? '**regression**' : ''} |`,
      );
    }
    lines.push(
      '',
      comparison.regressions === 0
        ? 'No regression beyond 10 %.'
        : `**${comparison.regressions} regression(s)** beyond the 10 % tolerance.`,
    );
  }
  return `${lines.join('\n')}\n`;
}
