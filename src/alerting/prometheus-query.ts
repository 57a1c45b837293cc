/** One PromQL instant query against a Prometheus server's HTTP API, bounded in time. */
import { deadline } from '../core/deadline.js';

interface ApiAnswer {
  readonly status: 'success' | 'error';
  readonly error?: string;
  readonly data?: { readonly resultType: string; readonly result: unknown };
}

export class PrometheusQueryError extends Error {}

/**
 * The query's value: several series are summed (counts) or their maximum taken (a latency), no
 * series or NaN (a quantile of nothing) is null, which the triggers read as "no data".
 */
export async function queryValue(
  baseUrl: string,
  promql: string,
  options: { readonly timeoutMs: number; readonly combine: 'sum' | 'max'; readonly signal?: AbortSignal; readonly authorization?: string },
): Promise<number | null> {
  const url = new URL('api/v1/query', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  url.searchParams.set('query', promql);
  // Not AbortSignal.any: in Node 20 each call leaves an entry on the caller's long-lived signal (src/core/deadline.ts).
  const bound = deadline(options.timeoutMs, options.signal);
  try {
    return await readValue(url, promql, options, bound.signal);
  } finally {
    bound.dispose();
  }
}

async function readValue(
  url: URL,
  promql: string,
  options: { readonly combine: 'sum' | 'max'; readonly authorization?: string },
  signal: AbortSignal,
): Promise<number | null> {
  let response: Response;
  try {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.authorization !== undefined) headers.authorization = options.authorization;
    response = await fetch(url, { signal, headers });
  } catch (error) {
    throw new PrometheusQueryError(`Prometheus at ${url.origin} did not answer: ${(error as Error).message}`);
  }
  const text = await response.text();
  let answer: ApiAnswer;
  try {
    answer = JSON.parse(text) as ApiAnswer;
  } catch {
    throw new PrometheusQueryError(`Prometheus at ${url.origin} answered ${response.status} without a query result`);
  }
  if (answer.status !== 'success' || answer.data === undefined)
    throw new PrometheusQueryError(`Prometheus rejected the query ${promql}: ${answer.error ?? `status ${response.status}`}`);
  const values = samplesOf(answer.data).filter((v) => Number.isFinite(v));
  if (values.length === 0) return null;
  return options.combine === 'sum' ? values.reduce((a, b) => a + b, 0) : Math.max(...values);
}

function samplesOf(data: NonNullable<ApiAnswer['data']>): number[] {
  if (data.resultType === 'scalar') return [Number((data.result as [number, string])[1])];
  if (data.resultType === 'vector') return (data.result as { value: [number, string] }[]).map((s) => Number(s.value[1]));
  throw new PrometheusQueryError(`a ${data.resultType} result is not a value; the query must return an instant vector or a scalar`);
}
