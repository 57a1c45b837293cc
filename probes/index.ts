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
 * THE registry: verify, probe, monitor, gate and the tests all run these. The rate-limit burst
 * comes last so that, at the default concurrency, most other families have their answers first.
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
