import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';
import type { LoadReport } from './load-report.js';
import type { LoadWindow } from '../sample.js';
import { lineChart } from './charts.js';
import { enginesNote, formatChange, type LoadComparison } from './compare.js';
import { formatMetricValue, formatRate, formatRatio, formatSeconds } from './format.js';
import { generatorLine } from './saturation-text.js';

const eta = new Eta({ views: fileURLToPath(new URL('./templates', import.meta.url)), autoEscape: true, cache: true });

/** "Nines" scale so 99 % and 99.9 % do not sit on top of each other. */
const ninesOf = (percentile: number): number => (percentile >= 100 ? 5 : Math.min(5, -Math.log10(1 - percentile / 100)));

function latencyOverTime(report: LoadReport): string {
  const mid = (w: LoadWindow) => (w.startSeconds + w.endSeconds) / 2;
  const timed = report.sample.windows.filter((w) => w.requests > 0);
  const p95Limit = report.thresholds.find((t) => t.metric === 'latencyP95Seconds');
  return lineChart({
    title: `Latency over time (windows of ${report.windowSeconds} s)`,
    series: [
      { name: 'p50', colour: '#2b7', points: timed.map((w) => [mid(w), w.latency.p50]) },
      { name: 'p95', colour: '#e80', points: timed.map((w) => [mid(w), w.latency.p95]) },
      { name: 'p99', colour: '#c22', points: timed.map((w) => [mid(w), w.latency.p99]) },
    ],
    xTicks: report.sample.windows.map((w) => w.startSeconds),
    xLabel: (x) => `${x} s`,
    yLabel: formatSeconds,
    ...(p95Limit !== undefined && 'below' in p95Limit
      ? { limits: [{ y: p95Limit.below, label: `p95 limit ${formatSeconds(p95Limit.below)}` }] }
      : {}),
  });
}

function throughputOverTime(report: LoadReport): string {
  const mid = (w: LoadWindow) => (w.startSeconds + w.endSeconds) / 2;
  return lineChart({
    title: 'Throughput and errors over time',
    height: 200,
    series: [
      { name: 'req/s', colour: '#36c', points: report.sample.windows.map((w) => [mid(w), w.requestsPerSecond]) },
      {
        name: 'failed/s',
        colour: '#c22',
        points: report.sample.windows.map((w) => [mid(w), w.failed / Math.max(0.001, w.durationSeconds)]),
      },
    ],
    xTicks: report.sample.windows.map((w) => w.startSeconds),
    xLabel: (x) => `${x} s`,
    yLabel: (y) => y.toFixed(0),
  });
}

function percentileChart(report: LoadReport): string {
  const points = report.sample.percentiles.map((p) => [ninesOf(p.percentile), p.seconds] as const);
  return lineChart({
    title: 'Latency by percentile',
    series: [{ name: 'latency', colour: '#63c', points }],
    xTicks: [0, 1, 2, 3, 4, 5],
    xLabel: (x) => ['0 %', '90 %', '99 %', '99.9 %', '99.99 %', 'max'][x] ?? '',
    yLabel: formatSeconds,
  });
}

/** load.html: self-contained benchmark page (inline SVG charts, escaped text). */
export function renderLoadHtml(report: LoadReport, comparison?: LoadComparison): string {
  return eta.render('load', {
    report,
    comparison,
    enginesNote: comparison?.engines === undefined ? undefined : enginesNote(comparison.engines),
    generator:
      report.generator === undefined ? undefined : { saturated: report.generator.saturated, line: generatorLine(report.generator) },
    charts: { latency: latencyOverTime(report), throughput: throughputOverTime(report), percentiles: percentileChart(report) },
    fmt: { seconds: formatSeconds, ratio: formatRatio, rate: formatRate, metric: formatMetricValue, change: formatChange },
  });
}
