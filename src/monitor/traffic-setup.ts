import { TrafficSignal } from '../alerting/traffic.js';
import { trafficQueries, type TriggerWindows } from '../alerting/traffic-config.js';
import type { TriggerSettings } from '../alerting/triggers.js';
import { configError } from '../config/errors.js';
import type { RunConfig } from '../config/resolve.js';
import { describePrometheusUrl, prometheusEndpoint } from './prometheus-url.js';

/** The config file's trigger windows over the defaults (thresholds unchanged). */
export function withConfiguredWindows(settings: TriggerSettings, windows: TriggerWindows | undefined): TriggerSettings {
  if (windows === undefined) return settings;
  return {
    ...settings,
    errorRate: { ...settings.errorRate, ...windows.errorRate },
    slowResponses: { ...settings.slowResponses, ...windows.slowResponses },
  };
}

/**
 * The real-traffic signal when a Prometheus URL is given: `--prometheus` wins over
 * VOR_PROMETHEUS_URL, which wins over `prometheus.url` in the config file. None: probes only.
 * Credentials in the URL are sent as Basic authorization, never as part of the URL.
 */
export function trafficSignalFor(
  flag: unknown,
  env: NodeJS.ProcessEnv,
  config: Pick<RunConfig, 'prometheus'>,
  settings: TriggerSettings,
): TrafficSignal | undefined {
  const [source, raw] =
    flag !== undefined
      ? ['--prometheus', String(flag)]
      : env.VOR_PROMETHEUS_URL !== undefined && env.VOR_PROMETHEUS_URL !== ''
        ? ['VOR_PROMETHEUS_URL', env.VOR_PROMETHEUS_URL]
        : ['prometheus.url', config.prometheus?.url];
  if (raw === undefined) return undefined;
  const endpoint = prometheusEndpoint(raw);
  if (endpoint === undefined)
    throw configError(source, `${describePrometheusUrl(raw)} is not a Prometheus server URL such as http://prometheus:9090`);
  return new TrafficSignal(settings, {
    url: endpoint.url,
    ...(endpoint.authorization === undefined ? {} : { authorization: endpoint.authorization }),
    queries: trafficQueries(config.prometheus),
    selector: config.prometheus?.selector ?? '',
    timeoutMs: config.prometheus?.timeoutMs ?? 5_000,
  });
}
