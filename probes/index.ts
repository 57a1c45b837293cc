import type { Probe } from '../src/core/probe.js';
import { cookiesProbe } from './cookies/probe.js';
import { corsProbe } from './cors/probe.js';
import { exposureProbe } from './exposure/probe.js';
import { headersProbe } from './headers/probe.js';
import { healthProbe } from './health/probe.js';
import { rateLimitProbe } from './ratelimit/probe.js';
import { staticProbe } from './static/probe.js';
import { tlsProbe } from './tls/probe.js';
import { httpsRedirectProbe } from './redirect/probe.js';

/**
 * Every HTTP probe family. A session's whole probe set (src/session/probe-set.ts, for verify,
 * probe, monitor and gate) is these plus error tracking and the /metrics self-check. The rate-limit
 * burst comes last so that, at the default concurrency, most other families have their answers first.
 */
export const PROBES: readonly Probe[] = [
  tlsProbe,
  httpsRedirectProbe,
  headersProbe,
  cookiesProbe,
  corsProbe,
  exposureProbe,
  healthProbe,
  staticProbe,
  rateLimitProbe,
];
