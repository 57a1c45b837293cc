export const formatSeconds = (seconds: number): string => (seconds < 1 ? `${(seconds * 1000).toFixed(1)} ms` : `${seconds.toFixed(2)} s`);
export const formatRatio = (ratio: number): string => `${(ratio * 100).toFixed(2)} %`;
export const formatRate = (rps: number): string => `${rps.toFixed(1)} req/s`;

export function formatMetricValue(metric: string, value: number): string {
  if (metric === 'errorRatio') return formatRatio(value);
  if (metric === 'requestsPerSecond') return formatRate(value);
  return formatSeconds(value);
}
